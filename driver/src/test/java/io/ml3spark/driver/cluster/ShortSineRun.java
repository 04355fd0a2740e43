package io.ml3spark.driver.cluster;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short sine meta-training the multi-JVM tests run on every kind of cluster: 5 outer
 * iterations of 8 resampled tasks in Spark tasks of 2, and its reference result in {@code local[2]}.
 */
public final class ShortSineRun {
    public static final int ITERATIONS = 5;
    public static final List<String> OVERRIDES = List.of("meta-train.iterations=" + ITERATIONS,
            "sine-regression.train-tasks.count=8", "sine-regression.train-tasks.resample=true",
            "meta-train.tasks-per-spark-task=2");

    /** phi after the run and the mean task loss of each iteration. */
    public record Training(double[] phi, List<Double> losses) {
    }

    private ShortSineRun() {
    }

    public static RunConfig config(String... more) {
        List<String> overrides = new ArrayList<>(OVERRIDES);
        overrides.addAll(List.of(more));
        return RunConfig.load(SparkHome.sineConfig().toFile(), overrides);
    }

    /** The command-line form of {@link #OVERRIDES}: {@code --set k=v ...}. */
    public static List<String> setOptions() {
        List<String> args = new ArrayList<>();
        for (String o : OVERRIDES) {
            args.add("--set");
            args.add(o);
        }
        return args;
    }

    public static SparkConf sparkConf(String master, String appName) {
        return new SparkConf().setMaster(master).setAppName(appName)
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    }

    public static Training train(JavaSparkContext sc, RunConfig cfg) {
        Experiment exp = cfg.experiment();
        List<Double> losses = new ArrayList<>();
        double[] phi = new MetaTrainer(sc, exp, cfg.backend(), cfg.seed(), cfg.metaTrain())
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())),
                        (it, g, applied, seconds) -> losses.add(g.meanTaskLoss()), state -> { })
                .phi();
        return new Training(phi, losses);
    }

    /** The reference: the same run in {@code local[2]} (a context of its own, stopped afterwards). */
    public static Training trainLocally(RunConfig cfg) {
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf("local[2]", "ShortSineRun reference"))) {
            return train(sc, cfg);
        }
    }

    /** Equal within a relative tolerance (for runs on different backends). */
    public static void assertSamePhi(double[] expected, double[] actual, double relativeTolerance) {
        assertEquals(expected.length, actual.length);
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            diff = Math.max(diff, Math.abs(expected[i] - actual[i]));
        }
        assertTrue(scale > 0);
        assertTrue(diff <= relativeTolerance * scale, "phi differs by " + diff + " (max |phi| " + scale + ")");
    }

    /**
     * Bit-identical: task randomness derives from seeds and meta-gradients are reduced in
     * partition order, so where and when executors ran must not change a single bit.
     */
    public static void assertSameTraining(Training expected, Training actual) {
        assertEquals(expected.losses(), actual.losses(), "task loss per iteration");
        assertArrayEquals(expected.phi(), actual.phi(), "phi");
    }
}
