package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.experiments.sine.SineTaskFamily;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.sinefrequency.SineFrequency.MetaUpdate;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The loss-shaping experiment's pieces: the optimizee sin(theta x), the task loss with
 * extra information, and the meta-gradient of update u of an iteration (earlier inner steps
 * replayed with earlier phis) against finite differences of the task loss it reports.
 */
class SineFrequencyTest {
    private static final Backend B = JvmBackend.INSTANCE;
    private static final long SEED = 3;

    static SineFrequency experiment(FrequencyTaskLoss loss, MetaUpdate update, int innerSteps) {
        LearnedLoss learned = new LearnedLoss(new Mlp(new int[] {3, 10, 10, 10, 1}, Activation.ELU,
                Activation.IDENTITY, true), LossInput.INPUT_PREDICTION_TARGET);
        SineTaskFamily tasks = new SineTaskFamily(Range.fixed(1), Range.fixed(0), new Range(-5, 5), new Range(-5, 5), 16);
        FrequencyTestSettings test = new FrequencyTestSettings(new double[] {0.7, -2.0}, new double[] {-1, 0, 1, 2}, 0.1, 3, 1.0,
                new double[] {-1, 0, 1});
        return new SineFrequency(learned, 0.01, new SineFrequencyOptimizee(Range.fixed(0.1)),
                new InnerLoop(innerSteps, 1.0), loss, update, tasks, 3, test);
    }

    /** A phi near the initial one, different for each {@code salt}. */
    private static double[] phi(SineFrequency exp, long salt) {
        double[] p = exp.initialPhi(B, SEED);
        SplittableRandom rng = new SplittableRandom(salt);
        for (int i = 0; i < p.length; i++) {
            p[i] += 0.1 * (rng.nextDouble() - 0.5);
        }
        return p;
    }

    @Test
    void optimizeeDerivativesMatchFiniteDifferencesToSecondOrder() {
        SineFrequencyOptimizee opt = new SineFrequencyOptimizee(Range.fixed(0.1));
        Tensor x = Tensor.constant(B, new double[] {-4.5, -1, 0.3, 2, 4.9, -3, 1.5, 3.3}, 2, 4, 1);
        Tensor weights = Tensor.constant(B, new double[] {0.3, -1.2, 0.7, 2.0, -0.4, 1.1, 0.9, -0.6}, 2, 4, 1);
        GradCheck.Fn f = theta -> opt.predict(theta, x).mul(weights).sum();
        List<double[]> theta = List.of(new double[] {0.1, -2.3});
        List<Shape> shapes = List.of(Shape.of(2, 1, 1));
        GradCheck.firstOrder(B, f, theta, shapes);
        GradCheck.secondOrder(B, f, theta, shapes, 7);
    }

    @Test
    void initialThetaIsDrawnFromItsRangePerTaskSeed() {
        SineFrequencyOptimizee opt = new SineFrequencyOptimizee(new Range(-7, 7));
        double[] a = opt.initialize(B, new long[] {1, 2, 3}).get(0).toArray();
        assertArrayEquals(a, opt.initialize(B, new long[] {1, 2, 3}).get(0).toArray(), 0.0);
        assertEquals(a[1], opt.initialize(B, new long[] {2}).get(0).item(), 0.0);
        for (double v : a) {
            assertTrue(v >= -7 && v <= 7, "theta " + v);
        }
        assertEquals(0.1, new SineFrequencyOptimizee(Range.fixed(0.1)).initialize(B, new long[] {9}).get(0).item());
    }

    @Test
    void frequencyTaskLossIsTheSquaredDistanceToTheTrueFrequency() {
        SineFrequency exp = experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 2);
        var batch = exp.frequencyTest().testTasks(B);
        Tensor theta = Tensor.constant(B, new double[] {0.1, 1.0}, 2, 1, 1);
        double[] loss = FrequencyTaskLoss.FREQUENCY.perTask(theta, null, batch).toArray();
        assertArrayEquals(new double[] {0.36, 9.0}, loss, 1e-12);
    }

    /** The meta-gradient of update u is the phi-derivative of the task loss sum it reports. */
    @ParameterizedTest(name = "{0}, {1}, update {2}")
    @CsvSource({"FREQUENCY, EVERY_STEP, 0", "FREQUENCY, EVERY_STEP, 2", "MSE, EVERY_STEP, 2",
            "FREQUENCY, UNROLLED, 0", "MSE, UNROLLED, 0"})
    void metaGradientMatchesFiniteDifferencesOfItsTaskLoss(FrequencyTaskLoss loss, MetaUpdate mode, int update) {
        SineFrequency exp = experiment(loss, mode, 3);
        List<double[]> phis = new ArrayList<>();
        for (int u = 0; u <= update; u++) {
            phis.add(phi(exp, u));
        }
        int[] tasks = {0, 1, 2};
        MetaGradient g = MetaGradients.of(exp, B, phis, SEED, 4, tasks);
        double[] current = phis.get(update).clone();
        double[] numeric = new double[current.length];
        double scale = 0;
        for (int j = 0; j < current.length; j++) {
            double orig = current[j];
            double h = 1e-6;
            current[j] = orig + h;
            double plus = lossWith(exp, phis, current, tasks);
            current[j] = orig - h;
            double minus = lossWith(exp, phis, current, tasks);
            current[j] = orig;
            numeric[j] = (plus - minus) / (2 * h);
            scale = Math.max(scale, Math.abs(numeric[j]));
        }
        assertTrue(scale > 1e-3, "meta-gradient too small to check: " + scale);
        assertArrayEquals(numeric, g.gradientSum(), 1e-6 * scale);
        assertEquals(3, g.tasks());
    }

    private static double lossWith(SineFrequency exp, List<double[]> phis, double[] current, int[] tasks) {
        List<double[]> p = new ArrayList<>(phis);
        p.set(p.size() - 1, current.clone());
        return MetaGradients.of(exp, B, p, SEED, 4, tasks).taskLossSum();
    }

    @Test
    void replayedUpdatesContinueFromTheEarlierStepsTheta() {
        // With one phi throughout, update 2 (two replayed steps, then one) is the third step of the unrolled loop.
        double[] p = phi(experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 3), 1);
        int[] tasks = {0, 1, 2};
        MetaGradient third = MetaGradients.of(experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 3), B, List.of(p, p, p), SEED, 2, tasks);
        MetaGradient unrolled = MetaGradients.of(experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.UNROLLED, 3), B, List.of(p), SEED, 2, tasks);
        assertEquals(unrolled.taskLossSum(), third.taskLossSum(), 1e-12 * Math.abs(unrolled.taskLossSum()));
        // Earlier phis matter: other phis for the replayed steps start the last step elsewhere.
        SineFrequency exp = experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 3);
        MetaGradient otherPast = MetaGradients.of(exp, B, List.of(phi(exp, 8), p, p), SEED, 2, tasks);
        assertNotEquals(third.taskLossSum(), otherPast.taskLossSum());
    }

    @Test
    void aTasksMetaGradientDoesNotDependOnItsGroup() {
        SineFrequency exp = experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 3);
        List<double[]> phis = List.of(phi(exp, 0), phi(exp, 1));
        MetaGradient all = MetaGradients.of(exp, B, phis, SEED, 6, new int[] {0, 1, 2});
        MetaGradient split = MetaGradients.of(exp, B, phis, SEED, 6, new int[] {0, 1})
                .plus(MetaGradients.of(exp, B, phis, SEED, 6, new int[] {2}));
        assertArrayEquals(all.gradientSum(), split.gradientSum(), 1e-12);
        assertEquals(all.taskLossSum(), split.taskLossSum(), 1e-12);
    }

    @Test
    void updatesPerIterationFollowTheMetaUpdateMode() {
        assertEquals(3, experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 3).estimator().updatesPerIteration());
        assertEquals(1, experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.UNROLLED, 3).estimator().updatesPerIteration());
        SineFrequency exp = experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 2);
        double[] p = phi(exp, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MetaGradients.of(exp, B, List.of(p, p, p), SEED, 1, new int[] {0}));
        assertTrue(e.getMessage().contains("update 2"), e.getMessage());
    }

    @Test
    void metaTestReportsTheDistanceToEachTestFrequencyPerStep() {
        SineFrequency exp = experiment(FrequencyTaskLoss.FREQUENCY, MetaUpdate.EVERY_STEP, 2);
        double[] p = phi(exp, 0);
        MetaTestResult r = exp.metaTest(B, p, SEED).get(0);
        assertEquals("frequency_error", r.metric());
        assertEquals(2, r.tasks());
        assertEquals(3, r.steps());
        assertEquals(0.6, r.learned()[0][0], 1e-12);
        assertEquals(2.1, r.baseline()[1][0], 1e-12);
        double[][] theta = exp.frequencyTest().thetaCurves(B, exp.learnedLoss().withConstants(B, p));
        assertEquals(Math.abs(theta[1][3] + 2.0), r.finalLearned()[1], 1e-12);
        MetaTestReport report = exp.metaTestReport(B, p, SEED);
        List<Figure> figures = report.figures();
        assertEquals(List.of("theta-steps", "landscape"), figures.stream().map(Figure::name).toList());
        // The figure is drawn from the same meta-test as the results: its theta is theirs.
        double[] learnedTheta = figures.get(0).series().get(3).y();
        assertEquals(report.results().get(0).finalLearned()[1], Math.abs(learnedTheta[3] + 2.0), 0.0);
        double[][] landscape = exp.frequencyTest().landscape(B, p);
        assertEquals(3, landscape[0].length);
        // MSE at theta = 0 on the grid {-1, 0, 1, 2} of sin(0.7 x): the mean of sin^2.
        double mse = 0;
        for (double x : new double[] {-1, 0, 1, 2}) {
            mse += Math.pow(Math.sin(0.7 * x), 2) / 4;
        }
        assertEquals(mse, landscape[1][1], 1e-12);
    }
}
