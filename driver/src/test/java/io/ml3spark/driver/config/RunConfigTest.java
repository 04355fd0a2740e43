package io.ml3spark.driver.config;

import io.ml3spark.experiments.SineRegression;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunConfigTest {
    static final File SINE = new File("../conf/sine-regression.conf");

    @TempDir
    Path tmp;

    @Test
    void sineConfigLoadsWithReferenceSettings() {
        RunConfig cfg = RunConfig.load(SINE, List.of());
        assertInstanceOf(SineRegression.class, cfg.experiment());
        assertEquals(500, cfg.metaTrain().iterations());
        assertEquals(1e-3, cfg.metaTrain().learningRate());
        assertEquals(1, cfg.experiment().tasksPerIteration());
        assertEquals("jvm", cfg.backend());
    }

    @Test
    void overridesApplyAndRenderedConfigReloadsToTheSameSettings() {
        RunConfig cfg = RunConfig.load(SINE, List.of("meta-train.iterations=7", "seed=42",
                "sine-regression.train-tasks.count=3"));
        assertEquals(7, cfg.metaTrain().iterations());
        assertEquals(42, cfg.seed());
        assertEquals(3, cfg.experiment().tasksPerIteration());
        RunConfig again = RunConfig.parse(cfg.render(), "config.conf", List.of());
        assertEquals(cfg.metaTrain(), again.metaTrain());
        assertEquals(cfg.seed(), again.seed());
    }

    @Test
    void unknownKeyIsRejectedWithItsPathAndTheKnownKeys() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> RunConfig.load(SINE, List.of("meta-train.iteratons=5")));
        assertTrue(e.getMessage().contains("unknown config key 'meta-train.iteratons'"), e.getMessage());
        assertTrue(e.getMessage().contains("iterations"), e.getMessage());
    }

    @Test
    void illTypedValueNamesPathAndExpectedType() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> RunConfig.load(SINE, List.of("meta-train.iterations=many")));
        assertTrue(e.getMessage().contains("'meta-train.iterations'"), e.getMessage());
        assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(SINE,
                List.of("sine-regression.inner.learning-rate=-1"))).getMessage()
                .contains("'sine-regression.inner.learning-rate'"));
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(SINE,
                List.of("sine-regression.test-tasks.amplitude=[5, 1]"))).getMessage()
                .contains("'sine-regression.test-tasks.amplitude'"));
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(SINE,
                List.of("sine-regression.learned-loss.activation=swish"))).getMessage()
                .contains("unknown activation 'swish'"));
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(SINE,
                List.of("backend=tpu"))).getMessage().contains("'backend'"));
    }

    @Test
    void missingKeyAndMissingFileAndBadOverrideAreNamed() throws IOException {
        File partial = tmp.resolve("partial.conf").toFile();
        Files.writeString(partial.toPath(), "experiment = sine-regression\nsine-regression { }\n");
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(partial, List.of())).getMessage()
                .contains("missing config section 'sine-regression.optimizee'"));
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(new File("nope.conf"), List.of()))
                .getMessage().contains("config file not found: nope.conf"));
        assertTrue(assertThrows(ConfigError.class, () -> RunConfig.load(SINE, List.of("seed")))
                .getMessage().contains("--set expects path=value"));
    }
}
