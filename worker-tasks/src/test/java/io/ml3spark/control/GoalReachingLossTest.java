package io.ml3spark.control;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoalReachingLossTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @Test
    void byHandOnATwoStepTrajectory() {
        // s_0 (ignored), s_1 = (3, 4 | 0, 2), s_2 = (0, 1 | 1, 0); goal (0, 0).
        Tensor states = Tensor.constant(B, new double[] {9, 9, 9, 9, 3, 4, 0, 2, 0, 1, 1, 0}, 1, 3, 4);
        Tensor goal = Tensor.constant(B, new double[] {0, 0}, 1, 1, 2);
        // final 10 * 1, path mean(5, 1) = 3, speed mean(2, 1) = 1.5 * 1e-4
        assertArrayEquals(new double[] {10 + 3 + 1.5e-4}, GoalReachingLoss.REACHER.perTask(states, goal).toArray(), 1e-12);
        assertArrayEquals(new double[] {1}, GoalReachingLoss.REACHER.finalDistance(states, goal).toArray(), 1e-12);
    }

    @Test
    void itsGradientMatchesFiniteDifferencesToSecondOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        GradCheck.Fn loss = in -> GoalReachingLoss.REACHER.perTask(in.get(0), in.get(1)).sum();
        List<double[]> values = List.of(GradCheck.uniform(rng, 2 * 4 * 4, -1, 1), GradCheck.uniform(rng, 2 * 2, -1, 1));
        List<Shape> shapes = List.of(Shape.of(2, 4, 4), Shape.of(2, 1, 2));
        assertTrue(GradCheck.firstOrder(B, loss, values, shapes) < GradCheck.TOLERANCE);
        assertTrue(GradCheck.secondOrder(B, loss, values, shapes, 5) < GradCheck.TOLERANCE);
    }
}
