package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a goal-reaching meta-test measures of one test target's policy on the real simulator after
 * each of 0..steps SGD steps: the effector's final distance to the target, the final positions'
 * distance to the goal, and the effector's paths before and after training.
 */
final class RealRolloutSeries {
    private final GoalTasks goalTasks;
    private final double[] target;
    private final double[] goals;
    private final int steps;
    private final double[] distance;
    private final double[] goalDistance;
    private final double[] paths;

    RealRolloutSeries(GoalTasks goalTasks, double[] target, double[] goals, int steps) {
        this.goalTasks = goalTasks;
        this.target = target;
        this.goals = goals;
        this.steps = steps;
        this.distance = new double[steps + 1];
        this.goalDistance = new double[steps + 1];
        this.paths = new double[2 * 2 * (goalTasks.horizon() + 1)];
    }

    /** Rolls out step {@code step}'s policy on the real simulator (no gradients), records it and returns the rollout. */
    Rollout record(int step, List<Tensor> theta) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Rollout real = goalTasks.rollout(goalTasks.env().simulator(), goals, theta);
            double[][] path = goalTasks.effectorPath(real);
            double[] end = path[path.length - 1];
            distance[step] = Math.hypot(end[0] - target[0], end[1] - target[1]);
            goalDistance[step] = goalTasks.goalDistance(real, goals);
            if (step == 0 || step == steps) {
                int offset = step == 0 ? 0 : 2 * path.length;
                for (int t = 0; t < path.length; t++) {
                    paths[offset + 2 * t] = path[t][0];
                    paths[offset + 2 * t + 1] = path[t][1];
                }
            }
            return real;
        }
    }

    /** The recorded series by name; the goal distance only where goals are not the effector's point. */
    Map<String, double[]> series() {
        Map<String, double[]> series = new HashMap<>(Map.of(GoalReachingReport.DISTANCE, distance,
                GoalReachingReport.PATHS, paths));
        if (goalTasks.env().goalsInJointSpace()) {
            series.put(GoalReachingReport.GOAL_DISTANCE, goalDistance);
        }
        return series;
    }
}
