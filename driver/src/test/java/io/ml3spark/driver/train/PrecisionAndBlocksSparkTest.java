package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.cluster.ShortSineRun.Training;
import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.driver.config.RunConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code precision} and {@code meta-train.tasks-per-block} reach the Spark tasks: a float32
 * run, on jvm and on nd4j, follows the float64 one to float accuracy without equalling it,
 * and blocking a group changes only the rounding of its sum.
 */
class PrecisionAndBlocksSparkTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "PrecisionAndBlocksSparkTest"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    @Test
    void float32OnNd4jTracksFloat64() {
        assertFloat32TracksFloat64("nd4j");
    }

    @Test
    void float32OnJvmTracksFloat64() {
        assertFloat32TracksFloat64("jvm");
        assertTrue(ShortSineRun.config("precision=float32").backend().endsWith(":float32"), "the default backend takes float32");
    }

    private static void assertFloat32TracksFloat64(String backend) {
        Training f64 = ShortSineRun.train(sc, ShortSineRun.config("backend=" + backend));
        RunConfig cfg = ShortSineRun.config("backend=" + backend, "precision=float32");
        assertEquals(backend + ":float32", cfg.backend());
        Training f32 = ShortSineRun.train(sc, cfg);
        assertFalse(Arrays.equals(f64.phi(), f32.phi()), "float32 rounds differently");
        ShortSineRun.assertSamePhi(f64.phi(), f32.phi(), 1e-4);
        for (int i = 0; i < f64.losses().size(); i++) {
            assertEquals(f64.losses().get(i), f32.losses().get(i), 1e-5 * Math.abs(f64.losses().get(i)), "iteration " + i);
        }
    }

    @Test
    void blocksOnlyChangeTheRounding() {
        Training whole = ShortSineRun.train(sc, ShortSineRun.config("meta-train.tasks-per-spark-task=8",
                "meta-train.tasks-per-block=8"));
        Training blocked = ShortSineRun.train(sc, ShortSineRun.config("meta-train.tasks-per-spark-task=8",
                "meta-train.tasks-per-block=3"));
        Training auto = ShortSineRun.train(sc, ShortSineRun.config("meta-train.tasks-per-spark-task=8"));
        Training four = ShortSineRun.train(sc, ShortSineRun.config("meta-train.tasks-per-spark-task=8",
                "meta-train.tasks-per-block=4"));
        ShortSineRun.assertSamePhi(whole.phi(), blocked.phi(), 1e-9);
        assertArrayEquals(four.phi(), auto.phi(), 0.0, "auto is 4 on the jvm backend");
    }

    @Test
    void badPrecisionsAndBlocksNameTheKey() {
        ConfigError e = assertThrows(ConfigError.class, () -> ShortSineRun.config("backend=nd4j", "precision=float16"));
        assertTrue(e.getMessage().contains("precision") && e.getMessage().contains("float16"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> ShortSineRun.config("meta-train.tasks-per-block=0"));
        assertTrue(e.getMessage().contains("meta-train.tasks-per-block"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> ShortSineRun.config("meta-train.tasks-per-block=some"));
        assertTrue(e.getMessage().contains("meta-train.tasks-per-block") && e.getMessage().contains("auto"),
                e.getMessage());
        for (String bad : new String[] {"0", "fast"}) {
            e = assertThrows(ConfigError.class, () -> ShortSineRun.config("meta-train.iterations-per-job=" + bad));
            assertTrue(e.getMessage().contains("meta-train.iterations-per-job") && e.getMessage().contains("auto"),
                    e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        assertEquals(MetaTrainSettings.AUTO_ITERATIONS_PER_JOB,
                ShortSineRun.config("meta-train.iterations-per-job=auto").metaTrain().iterationsPerJob());
    }
}
