package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;

import java.io.Serializable;

/**
 * The MountainCar task loss: the mean over the states s_0 .. s_T of the Euclidean distance
 * |s_t - goal_t| in (position, velocity). goal_t is the goal, except for the first
 * {@code intermediateSteps} states, which are measured to the intermediate goal (extra
 * information at meta-train time: swing back first). {@code intermediateSteps = 0} is the
 * task loss without extra information.
 */
public record GoalDistance(double[] goal, double[] intermediateGoal, int intermediateSteps) implements Serializable {
    public GoalDistance {
        if (goal.length != 2 || intermediateGoal.length != 2) {
            throw new IllegalArgumentException("goals are (position, velocity) pairs");
        }
        if (intermediateSteps < 0) {
            throw new IllegalArgumentException("intermediate steps must be >= 0, got " + intermediateSteps);
        }
        goal = goal.clone();
        intermediateGoal = intermediateGoal.clone();
    }

    /** The same task without the intermediate goal (what is known at meta-test time). */
    public GoalDistance withoutIntermediateGoal() {
        return new GoalDistance(goal, intermediateGoal, 0);
    }

    /** The task loss of each of the rollout's B episodes, {@code [B]}. */
    public Tensor perTask(Rollout rollout) {
        int n = rollout.states().shape().dim(1);
        double[] targets = new double[2 * n];
        for (int t = 0; t < n; t++) {
            double[] g = t < intermediateSteps ? intermediateGoal : goal;
            targets[2 * t] = g[0];
            targets[2 * t + 1] = g[1];
        }
        Tensor target = Tensor.constant(rollout.states().backend(), targets, 1, n, 2);
        return Functional.norm(rollout.states().sub(target), -1, false).mean(false, 1);
    }

    /** |s_T - goal| per episode, {@code [B, 1, 1]}, cut from the graph: the cost input of the learned loss. */
    public Tensor finalDistance(Rollout rollout) {
        Tensor target = Tensor.constant(rollout.states().backend(), goal, 1, 1, 2);
        return Functional.norm(rollout.finalState().sub(target), -1, true).detach();
    }
}
