package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.config.MetaTrainSettings.Execution;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Barrier segments (several outer iterations per Spark job, the tasks exchanging their
 * meta-gradients) against the per-iteration mode: the same phi, Adam state, kept best,
 * reported losses and checkpoints, bit for bit.
 */
class BarrierModeTest {
    private static JavaSparkContext spark;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "BarrierModeTest"));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    /** Everything a run shows: the final state, every iteration's report and every checkpoint. */
    private record Run(TrainingState end, List<String> reports, List<TrainingState> checkpoints) {
    }

    private static Run run(RunConfig cfg, Execution execution) {
        Experiment exp = cfg.experiment();
        List<String> reports = new ArrayList<>();
        List<TrainingState> checkpoints = new ArrayList<>();
        TrainingState end = new MetaTrainer(spark, exp, cfg.backend(), cfg.seed(), cfg.metaTrain().withExecution(execution))
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())),
                        (it, g, applied, s) -> reports.add(it + " " + g.tasks() + " " + g.skippedTasks() + " "
                                + Double.doubleToLongBits(g.taskLossSum()) + " " + applied),
                        checkpoints::add);
        return new Run(end, reports, checkpoints);
    }

    private static void assertSameState(TrainingState expected, TrainingState actual) {
        assertEquals(expected.iteration(), actual.iteration());
        assertArrayEquals(expected.phi(), actual.phi(), 0.0, "phi after iteration " + expected.iteration());
        assertArrayEquals(expected.adam().m(), actual.adam().m(), 0.0);
        assertArrayEquals(expected.adam().v(), actual.adam().v(), 0.0);
        assertEquals(expected.adam().step(), actual.adam().step());
        assertEquals(expected.best() == null, actual.best() == null);
        if (expected.best() != null) {
            assertEquals(expected.best().iteration(), actual.best().iteration());
            assertArrayEquals(expected.best().phi(), actual.best().phi(), 0.0);
        }
    }

    private static void assertSameRun(Run expected, Run actual) {
        assertSameState(expected.end(), actual.end());
        assertEquals(expected.reports(), actual.reports());
        assertEquals(expected.checkpoints().size(), actual.checkpoints().size());
        for (int i = 0; i < expected.checkpoints().size(); i++) {
            assertSameState(expected.checkpoints().get(i), actual.checkpoints().get(i));
        }
    }

    @Test
    void twoGroupsExchangingMetaGradientsEqualThePerIterationMode() {
        RunConfig cfg = ShortSineRun.config("meta-train.tasks-per-spark-task=4", "meta-train.iterations=9",
                "meta-train.checkpoint-every=4", "meta-train.iterations-per-job=3", "meta-train.keep=best");
        Run perIteration = run(cfg, Execution.PER_ITERATION);
        Run barrier = run(cfg, Execution.BARRIER);
        assertEquals(List.of(4, 8, 9), barrier.checkpoints().stream().map(TrainingState::iteration).toList());
        assertSameRun(perIteration, barrier);
    }

    @Test
    void aMetaUpdateAfterEveryInnerStepEqualsThePerIterationMode() {
        RunConfig cfg = RunConfig.load(new File("../conf/sine-frequency-shaped.conf"), List.of(
                "meta-train.iterations=3", "sine-frequency.train-tasks.count=2", "meta-train.tasks-per-spark-task=1",
                "sine-frequency.inner.steps=3", "meta-train.iterations-per-job=2"));
        assertSameRun(run(cfg, Execution.PER_ITERATION), run(cfg, Execution.BARRIER));
    }

    @Test
    void autoChoosesBarrierSegmentsWhereEveryGroupHasASlotAndTheExchangeIsSmall() {
        RunConfig cfg = ShortSineRun.config();
        MetaTrainer auto = new MetaTrainer(spark, cfg.experiment(), "jvm", 0, cfg.metaTrain().withExecution(Execution.AUTO));
        assertTrue(auto.barrierMode(1, 2650));
        assertTrue(auto.barrierMode(2, 2650));
        assertFalse(auto.barrierMode(3, 2650), "local[2] has 2 slots");
        assertFalse(auto.barrierMode(2, 1 << 20), "too much to exchange per update");
        MetaTrainer forced = new MetaTrainer(spark, cfg.experiment(), "jvm", 0,
                cfg.metaTrain().withExecution(Execution.BARRIER));
        SparkJobError e = assertThrows(SparkJobError.class, () -> forced.barrierMode(3, 2650));
        assertTrue(e.getMessage().contains("runs all 3 Spark tasks of an iteration at once, but Spark has 2 slots"),
                e.getMessage());
    }

    @Test
    void segmentsEndAfterTheirLengthOrOnTheLastIterationNotOnCheckpoints() {
        RunConfig cfg = ShortSineRun.config("meta-train.iterations=120", "meta-train.checkpoint-every=50",
                "meta-train.iterations-per-job=30");
        MetaTrainer t = new MetaTrainer(spark, cfg.experiment(), "jvm", 0, cfg.metaTrain());
        assertEquals(30, t.segmentEnd(0, 30));
        assertEquals(60, t.segmentEnd(30, 30));
        assertEquals(120, t.segmentEnd(110, 30));
        assertEquals(120, t.segmentEnd(100, Integer.MAX_VALUE));
    }

    @Test
    void autoJobsGrowFromShortTowardsTheTargetSeconds() {
        JobLength auto = new JobLength(io.ml3spark.driver.config.MetaTrainSettings.AUTO_ITERATIONS_PER_JOB);
        assertEquals(JobLength.FIRST, auto.next());
        auto.observe(8, 0.8);
        assertEquals(20, auto.next(), "0.1 s an iteration: 2 s is 20 iterations");
        auto.observe(20, 0.002);
        assertEquals(160, auto.next(), "fast iterations: at most 8 times the last job");
        auto.observe(160, 0.16);
        assertEquals(1280, auto.next());
        auto.observe(1280, 0.64);
        assertEquals(4000, auto.next(), "0.5 ms an iteration: 2 s is 4000");
        auto.observe(5, 50);
        assertEquals(1, auto.next(), "at least one iteration");
        JobLength fixed = new JobLength(30);
        fixed.observe(30, 100);
        assertEquals(30, fixed.next());
    }

    @Test
    void longSegmentsReturnTheirLastCheckpointsAndGiveTheSamePhis() {
        RunConfig cfg = ShortSineRun.config("meta-train.tasks-per-spark-task=4", "meta-train.iterations=13", "meta-train.checkpoint-every=2",
                "meta-train.keep-checkpoints=2", "meta-train.iterations-per-job=9");
        Run perIteration = run(cfg, Execution.PER_ITERATION);
        Run barrier = run(cfg, Execution.BARRIER);
        assertEquals(List.of(2, 4, 6, 8, 10, 12, 13), perIteration.checkpoints().stream().map(TrainingState::iteration).toList());
        assertEquals(List.of(6, 8, 10, 12, 13), barrier.checkpoints().stream().map(TrainingState::iteration).toList(),
                "iterations 1-9 return their last two checkpoints (of 2, 4, 6, 8), 10-13 theirs and the final state");
        assertSameState(perIteration.end(), barrier.end());
        assertEquals(perIteration.reports(), barrier.reports());
        for (TrainingState b : barrier.checkpoints()) {
            assertSameState(perIteration.checkpoints().stream().filter(p -> p.iteration() == b.iteration()).findFirst()
                    .orElseThrow(), b);
        }
    }

    @Test
    void aMessageCarriesTheMetaGradientsExactBits() {
        MetaGradient g = new MetaGradient(new double[] {1.5, -0.0, Double.NaN, 1e-300}, 3, 2.25, Double.NEGATIVE_INFINITY, 1)
                .holding(new double[] {0.1, 0.2, 0.3, 0.4});
        MetaGradient back = MetaGradientCodec.decode(MetaGradientCodec.encode(g));
        assertEquals(g, back);
        assertEquals(Double.doubleToRawLongBits(-0.0), Double.doubleToRawLongBits(back.gradientSum()[1]));
        assertThrows(IllegalArgumentException.class, () -> MetaGradientCodec.decode(new byte[8]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MetaGradientCodec.decode(
                java.nio.ByteBuffer.allocate(64).putInt(1 << 30).array()));
        assertTrue(e.getMessage().contains("claims 1073741824 values in 60 bytes"), e.getMessage());
    }
}
