package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetaTrainerSparkTest {
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("MetaTrainerSparkTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunConfig config(String... overrides) {
        return RunConfig.load(new File("../conf/sine-regression.conf"), List.of(overrides));
    }

    @Test
    void aggregatedMetaGradientEqualsTheSingleProcessOne() {
        RunConfig cfg = config("sine-regression.train-tasks.count=8", "sine-regression.train-tasks.resample=true",
                "meta-train.tasks-per-spark-task=3");
        Experiment exp = cfg.experiment();
        double[] phi = exp.initialPhi(JvmBackend.INSTANCE, 1);
        MetaTrainer trainer = new MetaTrainer(spark, exp, "jvm", 1, cfg.metaTrain());
        List<int[]> groups = MetaTrainer.taskGroups(8, 3);
        assertEquals(3, groups.size());
        MetaGradient distributed = trainer.metaGradient(phi, 5, groups);
        MetaGradient local = MetaGradients.of(exp, JvmBackend.INSTANCE, phi, 1, 5, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        assertEquals(8, distributed.tasks());
        assertEquals(local.taskLossSum(), distributed.taskLossSum(), 1e-12 * Math.abs(local.taskLossSum()));
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < phi.length; i++) {
            scale = Math.max(scale, Math.abs(local.gradientSum()[i]));
            diff = Math.max(diff, Math.abs(local.gradientSum()[i] - distributed.gradientSum()[i]));
        }
        assertTrue(scale > 0);
        assertTrue(diff / scale < 1e-12, "relative difference " + diff / scale);
    }

    @Test
    void shortMetaTrainingMakesTheLearnedLossBeatMseOnTheTestTasks() {
        RunConfig cfg = config("meta-train.iterations=300", "seed=0");
        Experiment exp = cfg.experiment();
        double[] phi = new MetaTrainer(spark, exp, "jvm", cfg.seed(), cfg.metaTrain())
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())), (it, g, applied, s) -> { },
                        state -> { }).phi();
        MetaTestResult test = exp.metaTest(JvmBackend.INSTANCE, phi, cfg.seed()).get(0);
        assertEquals("test", test.taskSet());
        double learned = mean(test.finalLearned());
        double baseline = mean(test.finalBaseline());
        assertTrue(learned < baseline, "learned loss " + learned + " vs MSE " + baseline);
    }

    @Test
    void orderedTreeReduceCombinesInPartitionOrderAtEveryLevel() throws Exception {
        List<String> items = new java.util.ArrayList<>();
        for (int i = 0; i < 40; i++) {
            items.add(Integer.toString(i));
        }
        String expected = String.join(",", items);
        for (int fanIn : new int[] {2, 3, 7, 50}) {
            assertEquals(expected, OrderedTreeReduce.reduce(spark.parallelize(items, 20), (a, b) -> a + "," + b, fanIn));
        }
    }

    @Test
    void theDriverSideReductionCombinesTheSamePairsAsTheShuffledTree() throws Exception {
        // A combination that shows its grouping: equal strings mean the same tree of float sums.
        for (int n : new int[] {1, 2, 5, 16, 40, 100}) {
            List<String> items = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                items.add(Integer.toString(i));
            }
            for (int fanIn : new int[] {2, 3, 4, 7, 50}) {
                String shuffled = OrderedTreeReduce.reduce(spark.parallelize(items, n), (a, b) -> "(" + a + "+" + b + ")",
                        fanIn);
                assertEquals(shuffled, OrderedTreeReduce.reduceLocally(items, (a, b) -> "(" + a + "+" + b + ")", fanIn),
                        n + " partitions, fan-in " + fanIn);
            }
        }
    }

    @Test
    void iterationWithoutAnyFiniteMetaGradientLeavesPhiUnchanged() {
        RunConfig cfg = config("sine-regression.train-tasks.count=4", "sine-regression.train-tasks.resample=true",
                "meta-train.tasks-per-spark-task=2", "meta-train.iterations=3");
        Experiment poisoned = new io.ml3spark.experiments.PoisonedExperiment(cfg.experiment(),
                java.util.Set.of(0, 1, 2, 3), java.util.Set.of(2L));
        List<double[]> phis = new java.util.ArrayList<>();
        List<Boolean> applied = new java.util.ArrayList<>();
        List<Long> skipped = new java.util.ArrayList<>();
        TrainingState end = new MetaTrainer(spark, poisoned, "jvm", 0, cfg.metaTrain()).train(
                MetaTrainer.initial(poisoned.initialPhi(JvmBackend.INSTANCE, 0)),
                (it, g, ok, s) -> {
                    applied.add(ok);
                    skipped.add(g.skippedTasks());
                },
                state -> { });
        assertEquals(List.of(true, false, true), applied);
        assertEquals(List.of(0L, 4L, 0L), skipped);
        for (double v : end.phi()) {
            assertTrue(Double.isFinite(v));
        }
        assertEquals(2, end.adam().step(), "Adam stepped only on the two finite iterations");
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
