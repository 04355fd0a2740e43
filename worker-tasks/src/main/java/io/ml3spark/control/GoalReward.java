package io.ml3spark.control;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;

import java.util.List;

/**
 * The model-free goal-reaching reward: {@code r_t = -|p_{t+1} - g|}, the distance of the
 * position after step t to the goal (positions are a state's first {@code goal.length}
 * components). An episode's return is the sum over its T steps.
 */
public final class GoalReward {
    private GoalReward() {
    }

    /** Rewards {@code [E][T]} of episodes with states {@code [E, T + 1, S]}, all toward one goal. */
    public static double[][] of(Tensor states, double[] goal) {
        double[] v = states.toArray();
        int e = states.shape().dim(0);
        int horizon = states.shape().dim(1) - 1;
        int s = states.shape().dim(2);
        double[][] r = new double[e][horizon];
        for (int i = 0; i < e; i++) {
            for (int t = 0; t < horizon; t++) {
                int at = (i * (horizon + 1) + t + 1) * s;
                double d = 0;
                for (int k = 0; k < goal.length; k++) {
                    d += (v[at + k] - goal[k]) * (v[at + k] - goal[k]);
                }
                r[i][t] = -Math.sqrt(d);
            }
        }
        return r;
    }

    /** Each episode's return (sum of its rewards). */
    public static double[] returns(double[][] rewards) {
        double[] out = new double[rewards.length];
        for (int i = 0; i < rewards.length; i++) {
            for (double x : rewards[i]) {
                out[i] += x;
            }
        }
        return out;
    }

    /**
     * The return of the policy's mean action (no exploration) from {@code start} toward
     * {@code goal}: how good the policy is, measured the same way for every training method.
     */
    public static double meanActionReturn(Environment env, GaussianPolicy policy, List<Tensor> theta, double[] start,
                                          int horizon, double[] goal) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Rollout r = Rollout.of(env, policy, theta, start, horizon);
            return returns(of(r.states(), goal))[0];
        }
    }
}
