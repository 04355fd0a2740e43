package io.ml3spark.driver.train;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.sinefrequency.SineFrequency;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The loss-shaping experiment on Spark: several meta-updates per iteration, and shaped beats unshaped. */
class SineFrequencySparkTest {
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SineFrequencySparkTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static RunConfig config(String variant, String... overrides) {
        return RunConfig.load(new File("../conf/sine-frequency-" + variant + ".conf"), List.of(overrides));
    }

    @Test
    void configsLoadWithTheReferenceSettings() {
        RunConfig shaped = config("shaped");
        SineFrequency exp = assertInstanceOf(SineFrequency.class, shaped.experiment());
        assertEquals(1500, shaped.metaTrain().iterations());
        assertEquals(0.003, shaped.metaTrain().learningRate());
        assertEquals(4, exp.tasksPerIteration());
        assertEquals(10, exp.estimator().updatesPerIteration());
        assertEquals(100, exp.frequencyTest().settings().inputs().length);
        assertEquals(4.9, exp.frequencyTest().settings().inputs()[99], 1e-12);
        assertEquals(140, exp.frequencyTest().settings().landscapeThetas().length);
        assertInstanceOf(SineFrequency.class, config("unshaped").experiment());
    }

    @Test
    void robustConfigsLoadWithTheirTrainTasks() {
        RunConfig robust = config("shaped-robust");
        SineFrequency exp = assertInstanceOf(SineFrequency.class, robust.experiment());
        assertEquals(16, exp.tasksPerIteration());
        assertEquals(1500, robust.metaTrain().iterations());
        assertEquals(10, exp.estimator().updatesPerIteration());
        String rendered = robust.render().replaceAll("\\s", "");
        assertTrue(rendered.contains("frequency=[-2,2]") && rendered.contains("task-loss=frequency"), rendered);
        String unshaped = config("unshaped-robust").render().replaceAll("\\s", "");
        assertTrue(unshaped.contains("task-loss=mse") && unshaped.contains("count=16"), unshaped);
    }

    @Test
    void badChoicesNameTheKeyAndTheValidValues() {
        ConfigError e = assertThrows(ConfigError.class,
                () -> config("shaped", "sine-frequency.task-loss=frequencies"));
        assertTrue(e.getMessage().contains("sine-frequency.task-loss"), e.getMessage());
        assertTrue(e.getMessage().endsWith("expected frequency or mse, got 'frequencies'"), e.getMessage());
        e = assertThrows(ConfigError.class, () -> config("shaped", "sine-frequency.meta-update=sometimes"));
        assertTrue(e.getMessage().endsWith("expected every-step or unrolled, got 'sometimes'"), e.getMessage());
    }

    @Test
    void sparkTrainingTakesOneAdamStepPerInnerStepLikeTheSingleProcessLoop() {
        RunConfig cfg = config("shaped", "meta-train.iterations=2", "sine-frequency.inner.steps=3",
                "sine-frequency.train-tasks.count=3", "meta-train.tasks-per-spark-task=2");
        Experiment exp = cfg.experiment();
        double[] phi0 = exp.initialPhi(JvmBackend.INSTANCE, cfg.seed());
        List<Double> losses = new ArrayList<>();
        double[] distributed = new MetaTrainer(spark, exp, "jvm", cfg.seed(), cfg.metaTrain())
                .train(MetaTrainer.initial(phi0), (it, g, applied, seconds) -> losses.add(g.meanTaskLoss()), state -> { })
                .phi();
        assertEquals(2, losses.size());

        var s = cfg.metaTrain();
        Adam adam = new Adam(phi0.length, s.learningRate(), s.beta1(), s.beta2(), s.epsilon());
        double[] local = phi0;
        for (int it = 1; it <= 2; it++) {
            List<double[]> phis = new ArrayList<>();
            for (int u = 0; u < 3; u++) {
                phis.add(local);
                local = adam.step(local, MetaGradients.of(exp, JvmBackend.INSTANCE, phis, cfg.seed(), it,
                        new int[] {0, 1, 2}).mean());
            }
        }
        double diff = 0;
        double moved = 0;
        for (int i = 0; i < local.length; i++) {
            diff = Math.max(diff, Math.abs(local[i] - distributed[i]));
            moved = Math.max(moved, Math.abs(local[i] - phi0[i]));
        }
        // 6 Adam steps of lr 0.003 move some weight by more than 5 steps' worth.
        assertTrue(moved > 5 * 0.003, "phi barely moved: " + moved);
        assertTrue(diff < 1e-12, "Spark and single-process phi differ by " + diff);
    }

    @Test
    void shapedLossGetsCloserToTheTestFrequencyThanTheUnshapedOne() {
        // Short: 3 inner steps (3 Adam steps per iteration) at Adam lr 0.01, 100 iterations.
        String[] settings = {"meta-train.iterations=100", "meta-train.adam.learning-rate=0.01",
                "sine-frequency.inner.steps=3"};
        double shaped = finalError(config("shaped", settings));
        double unshaped = finalError(config("unshaped", settings));
        assertTrue(shaped < unshaped, "|theta - 0.7| after 10 steps: shaped " + shaped + ", unshaped " + unshaped);
    }

    private static double finalError(RunConfig cfg) {
        Experiment exp = cfg.experiment();
        double[] phi = new MetaTrainer(spark, exp, "jvm", cfg.seed(), cfg.metaTrain())
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())), (it, g, applied, s) -> { },
                        state -> { }).phi();
        MetaTestResult r = exp.metaTest(JvmBackend.INSTANCE, phi, cfg.seed()).get(0);
        System.out.println("[SineFrequencySparkTest] " + cfg.experiment().name() + " errors per step "
                + java.util.Arrays.toString(r.learned()[0]));
        return r.finalLearned()[0];
    }
}
