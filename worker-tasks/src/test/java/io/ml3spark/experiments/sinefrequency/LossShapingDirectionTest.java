package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.experiments.sine.SineTaskFamily;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.experiments.sinefrequency.SineFrequency.MetaUpdate;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short fixed-seed meta-training of a small learned loss on the sine-frequency tasks, with
 * the extra information (task loss (theta - w)^2) and without it (MSE): after the meta-test's
 * SGD steps from theta = 0.1, the shaped loss has brought theta closer to the test frequency
 * 0.7 than the unshaped one.
 */
class LossShapingDirectionTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final long SEED = 3;
    private static final int ITERATIONS = 300;
    private static final int STEPS = 3;
    private static final double TEST_FREQUENCY = 0.7;

    @Test
    void shapedLossBringsThetaCloserToTheTestFrequencyThanTheUnshapedOne() {
        double shaped = distanceAfterMetaTest(FrequencyTaskLoss.FREQUENCY);
        double unshaped = distanceAfterMetaTest(FrequencyTaskLoss.MSE);
        System.out.printf("|theta - %.1f| after %d meta-test steps: shaped %.4f, unshaped %.4f%n", TEST_FREQUENCY,
                STEPS, shaped, unshaped);
        assertTrue(shaped < unshaped, "shaped " + shaped + " vs unshaped " + unshaped);
        assertTrue(shaped < Math.abs(0.1 - TEST_FREQUENCY), "the shaped loss moved theta away: " + shaped);
    }

    private static double distanceAfterMetaTest(FrequencyTaskLoss taskLoss) {
        double[] grid = new double[100];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = -5 + 0.1 * i;
        }
        SineFrequency e = new SineFrequency(new LearnedLoss(new Mlp(new int[] {3, 8, 8, 1}, Activation.ELU,
                Activation.IDENTITY, true), LossInput.INPUT_PREDICTION_TARGET), 0.01,
                new SineFrequencyOptimizee(Range.fixed(0.1)), new InnerLoop(STEPS, 1.0), taskLoss, MetaUpdate.EVERY_STEP,
                new SineTaskFamily(Range.fixed(1), Range.fixed(0), new Range(-2, 2), new Range(-5, 5), 32), 4,
                new FrequencyTestSettings(new double[] {TEST_FREQUENCY}, grid, 0.1, STEPS, 1.0, new double[] {TEST_FREQUENCY}));
        int[] tasks = {0, 1, 2, 3};
        double[] phi = e.initialPhi(JVM, SEED);
        for (int it = 1; it <= ITERATIONS; it++) {
            // a meta-update after every inner step, as the experiment's default; normalised
            // gradient steps stand in for the driver's Adam
            List<double[]> phis = new ArrayList<>();
            for (int update = 0; update < STEPS; update++) {
                phis.add(phi);
                double[] g = MetaGradients.of(e, JVM, phis, SEED, it, tasks).gradientSum();
                double scale = Arrays.stream(g).map(Math::abs).max().orElse(0);
                double[] next = phi.clone();
                for (int i = 0; i < next.length && scale > 0; i++) {
                    next[i] -= 0.01 * g[i] / scale;
                }
                phi = next;
            }
        }
        double[][] theta = e.frequencyTest().thetaCurves(JVM, e.learnedLoss().withConstants(JVM, phi));
        return Math.abs(theta[0][STEPS] - TEST_FREQUENCY);
    }
}
