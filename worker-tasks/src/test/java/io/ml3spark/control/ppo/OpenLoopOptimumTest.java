package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenLoopOptimumTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @Test
    void theReturnOfZeroActionsIsMinusTheDistanceAtEveryStep() {
        double[] goal = {0.3, -0.4};
        double r = OpenLoopOptimum.episodeReturn(PointMass.EXTRAS, new double[4],
                Tensor.constant(B, new double[2 * 5], 1, 5, 2), goal).item();
        assertEquals(-5 * 0.5, r, 1e-12);
    }

    @Test
    void optimisedActionsHalveTheSummedDistanceOfDoingNothing() {
        double[] goal = {0.6, -0.5};
        int horizon = 40;
        double optimum = new OpenLoopOptimum(300, 0.05).of(B, PointMass.EXTRAS, new double[4], horizon, 2, goal);
        double nothing = -horizon * Math.hypot(0.6, -0.5);
        System.out.printf("open-loop optimum %.3f, doing nothing %.3f%n", optimum, nothing);
        assertTrue(optimum > 0.5 * nothing, "optimum " + optimum + " against " + nothing + " for doing nothing");
        // A lower bound any policy learner can be judged against: no return exceeds 0.
        assertTrue(optimum < 0);
    }
}
