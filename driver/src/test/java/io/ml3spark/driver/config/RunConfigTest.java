package io.ml3spark.driver.config;

import io.ml3spark.experiments.sine.SineRegression;
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

    private static String refused(String... overrides) {
        return assertThrows(ConfigError.class, () -> RunConfig.load(SINE, List.of(overrides))).getMessage();
    }

    @Test
    void integersAreIntegersNeverRounded() {
        assertTrue(refused("meta-train.iterations=2.5").startsWith("invalid config value at 'meta-train.iterations'"
                + " (--set meta-train.iterations=2.5: 1): expected an integer in [-2147483648, 2147483647], got number 2.5"));
        assertTrue(refused("seed=NaN").contains("'seed' (--set seed=NaN: 1): expected an integer in"), refused("seed=NaN"));
        assertTrue(refused("seed=1e30").contains("got number 1.0E30"), refused("seed=1e30"));
        assertTrue(refused("seed=2.5").contains("got number 2.5"));
        assertEquals(1000, RunConfig.load(SINE, List.of("seed=1e3")).seed(), "a number with no fraction is an integer");
        assertEquals(12, RunConfig.load(SINE, List.of("seed=\"12\"")).seed());
    }

    @Test
    void iterationsSizesAndRangesAreBounded() {
        assertTrue(refused("meta-train.iterations=0").contains("expected an integer in [1, 16777216], got 0"),
                refused("meta-train.iterations=0"));
        assertTrue(refused("sine-regression.train-tasks.count=100000000")
                .contains("'sine-regression.train-tasks.count'"));
        assertTrue(refused("sine-regression.train-tasks.count=100000000").endsWith("expected an integer in [1, 16777216], got 100000000"));
        String layers = refused("sine-regression.learned-loss.layers=[2,30000,30000,1]");
        assertTrue(layers.contains("'sine-regression.learned-loss.layers'") && layers.contains("at most 16777216 parameters"),
                layers);
        assertTrue(refused("sine-regression.learned-loss.layers=[2,3000000000,1]").contains("expected an integer in"));
        String infinite = refused("sine-regression.test-tasks.amplitude=[0, Infinity]");
        assertTrue(infinite.contains("'sine-regression.test-tasks.amplitude'"), infinite);
        assertTrue(refused("meta-train.adam.beta1=NaN").contains("'meta-train.adam.beta1'"));
        assertTrue(refused("sine-regression.inner.learning-rate=1e400").contains("'sine-regression.inner.learning-rate'"));
    }

    @Test
    void aMissingIncludeIsAnError() throws IOException {
        File including = tmp.resolve("stage2.conf").toFile();
        Files.writeString(including.toPath(), "include \"stage1.conf\"\nexperiment = sine-regression\n");
        String m = assertThrows(ConfigError.class, () -> RunConfig.load(including, List.of())).getMessage();
        assertTrue(m.contains("include \"stage1.conf\"") && m.contains("not found"), m);
    }

    @Test
    void digitChoicesNameTheirValues() {
        String network = assertThrows(ConfigError.class, () -> RunConfig.load(new File("../conf/mnist-binary.conf"),
                List.of("mnist-binary.optimizee.network=resnet"))).getMessage();
        assertTrue(network.endsWith("expected lenet or mlp, got 'resnet'"), network);
    }
}
