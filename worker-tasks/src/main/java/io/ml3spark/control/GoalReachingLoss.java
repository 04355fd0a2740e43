package io.ml3spark.control;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;

/**
 * The task loss of the reference's goal-reaching tasks (docs/method.md) (ReacherGoal, and PointmassGoal's same shape):
 * {@code finalWeight |p_T - g| + pathWeight mean_t |p_t - g| + velocityWeight mean_t |v_t|} per
 * task, where p are a state's first {@code positions} components, v the rest, |.| the Euclidean
 * norm, and t runs over the states the actions produced ({@code s_1 .. s_T}; s_0 does not depend
 * on the policy).
 */
public record GoalReachingLoss(int positions, double finalWeight, double pathWeight, double velocityWeight)
        implements java.io.Serializable {
    /** ReacherGoal's: 10 |q_T - g| + mean_t |q_t - g| + 1e-4 mean_t |dq_t|. */
    public static final GoalReachingLoss REACHER = new GoalReachingLoss(2, 10, 1, 1e-4);

    public GoalReachingLoss {
        if (positions < 1 || finalWeight < 0 || pathWeight < 0 || velocityWeight < 0) {
            throw new IllegalArgumentException("goal-reaching loss: at least one position, non-negative weights");
        }
    }

    /** Each task's loss {@code [B]} for states {@code [B, T + 1, S]} and goals {@code [B, 1, positions]}. */
    public Tensor perTask(Tensor states, Tensor goal) {
        int steps = states.shape().dim(1) - 1;
        int size = states.shape().dim(2);
        Tensor visited = states.slice(1, 1, steps + 1);
        Tensor distance = Functional.norm(visited.slice(2, 0, positions).sub(goal), 2, false);
        Tensor speed = Functional.norm(visited.slice(2, positions, size), 2, false);
        Tensor last = distance.slice(1, steps - 1, steps).reshape(states.shape().dim(0));
        return last.mul(finalWeight).add(distance.mean(false, 1).mul(pathWeight)).add(speed.mean(false, 1).mul(velocityWeight));
    }

    /** Each task's final distance to its goal {@code [B]}, the meta-test's measure. */
    public Tensor finalDistance(Tensor states, Tensor goal) {
        int steps = states.shape().dim(1) - 1;
        Tensor end = states.slice(1, steps, steps + 1).slice(2, 0, positions);
        return Functional.norm(end.sub(goal), 2, false).reshape(states.shape().dim(0));
    }
}
