package io.ml3spark.control.ppo;

/**
 * Generalised advantage estimation (Schulman et al. 2016) over fixed-horizon episodes:
 * {@code delta_t = r_t + gamma V(s_{t+1}) - V(s_t)} and {@code A_t = delta_t + gamma lambda A_{t+1}},
 * backwards from the horizon. An episode ends at its horizon: with {@code bootstrap} the value of
 * its last state stands in for what follows (a time limit, not a terminal state), without it
 * nothing follows. The returns the value network regresses on are {@code A_t + V(s_t)}.
 */
public record Gae(double gamma, double lambda, boolean bootstrap) {
    public Gae {
        if (!(gamma >= 0 && gamma <= 1 && lambda >= 0 && lambda <= 1)) {
            throw new IllegalArgumentException("GAE: gamma and lambda in [0, 1], got " + gamma + " and " + lambda);
        }
    }

    /** The advantages {@code [B][T]} of rewards {@code [B][T]} with values {@code [B][T + 1]} (V(s_0) .. V(s_T)). */
    public double[][] advantages(double[][] rewards, double[][] values) {
        double[][] out = new double[rewards.length][];
        for (int b = 0; b < rewards.length; b++) {
            int horizon = rewards[b].length;
            if (values[b].length != horizon + 1) {
                throw new IllegalArgumentException("episode " + b + ": " + horizon + " rewards need " + (horizon + 1)
                        + " values, got " + values[b].length);
            }
            out[b] = new double[horizon];
            double next = 0;
            for (int t = horizon - 1; t >= 0; t--) {
                boolean last = t == horizon - 1;
                double following = last && !bootstrap ? 0 : values[b][t + 1];
                double delta = rewards[b][t] + gamma * following - values[b][t];
                next = delta + (last ? 0 : gamma * lambda * next);
                out[b][t] = next;
            }
        }
        return out;
    }

    /** The value targets {@code A_t + V(s_t)}. */
    public static double[][] returns(double[][] advantages, double[][] values) {
        double[][] out = new double[advantages.length][];
        for (int b = 0; b < advantages.length; b++) {
            out[b] = new double[advantages[b].length];
            for (int t = 0; t < advantages[b].length; t++) {
                out[b][t] = advantages[b][t] + values[b][t];
            }
        }
        return out;
    }
}
