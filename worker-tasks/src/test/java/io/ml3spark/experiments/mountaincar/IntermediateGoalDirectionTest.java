package io.ml3spark.experiments.mountaincar;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A short fixed-seed meta-training of a small learned loss with and without the
 * intermediate goal: the loss shaped by the intermediate goal makes the policy swing back
 * further (lower lowest position) after one meta-test step than the unshaped one.
 */
class IntermediateGoalDirectionTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final long SEED = 1;
    private static final int ITERATIONS = 20;

    @Test
    void intermediateGoalMakesThePolicySwingBackFurther() {
        double shaped = lowestPositionAfterOneStep(15);
        double unshaped = lowestPositionAfterOneStep(0);
        System.out.printf("lowest position after one meta-test step: shaped %.4f, unshaped %.4f%n", shaped, unshaped);
        assertTrue(shaped < unshaped, "shaped " + shaped + " vs unshaped " + unshaped);
    }

    private static double lowestPositionAfterOneStep(int intermediateSteps) {
        MountainCarExperiment e = new MountainCarExperiment(MountainCar.REFERENCE, new double[] {-0.55, 0.0}, 35,
                new Mlp(new int[] {2, 200, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                new LearnedLoss(new Mlp(new int[] {4, 16, 16, 1}, Activation.ELU, Activation.IDENTITY, true),
                        LossInput.STATE_ACTION_COST),
                new InnerLoop(1, 0.001), MountainCarTraining.REFERENCE, false,
                new GoalDistance(new double[] {0.5, 1.0375}, new double[] {-0.947, -0.0055}, intermediateSteps), 1, 0.001);
        double[] phi = e.initialPhi(JVM, SEED);
        for (int it = 0; it < ITERATIONS; it++) {
            // normalised gradient steps: a few fixed-size meta-updates
            double[] g = MetaGradients.of(e, JVM, phi, SEED, it, new int[] {0}).gradientSum();
            double scale = Arrays.stream(g).map(Math::abs).max().orElse(0);
            for (int i = 0; i < phi.length && scale > 0; i++) {
                phi[i] -= 0.05 * g[i] / scale;
            }
        }
        return e.metaTestRollouts(JVM, phi, SEED).learned().get(1).lowestPosition();
    }
}
