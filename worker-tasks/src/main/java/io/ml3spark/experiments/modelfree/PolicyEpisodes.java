package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalReward;
import io.ml3spark.control.StochasticRollout;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * E episodes of each of B tasks' Gaussian policies on the real simulator, sampled as data, the
 * task's episodes side by side as rows: states {@code [B, E * T, S]} (s_0 .. s_{T-1} of each
 * episode), the drawn actions {@code [B, E * T, A]}, the rewards {@code [B, E * T, 1]}, each
 * episode's return {@code [B][E]} and the log-probability of its actions under the policy that
 * drew them, {@code [B][E]} (a constant: what the REINFORCE surrogate's value is measured from).
 */
public record PolicyEpisodes(Tensor states, Tensor actions, Tensor rewards, double[][] returns,
                             double[][] samplingLogProbability, int horizon) {

    /**
     * Samples task t's episodes with {@code theta}'s row t toward {@code goals[t]} (positions),
     * episode e's noise from {@code seeds[t][e]}; {@code goalStates} {@code [B * S]} are what the
     * policy sees of the goals.
     */
    public static PolicyEpisodes sample(Environment env, GaussianPolicy policy, List<Tensor> theta, double[][] goals,
                                        double[] goalStates, double[] start, int horizon, long[][] seeds) {
        Backend backend = theta.get(0).backend();
        int b = goals.length;
        int s = start.length;
        List<Tensor> states = new ArrayList<>(b);
        List<Tensor> actions = new ArrayList<>(b);
        List<Tensor> rewards = new ArrayList<>(b);
        double[][] returns = new double[b][];
        double[][] logp = new double[b][];
        try (GradMode.Scope ignored = GradMode.disabled()) {
            for (int t = 0; t < b; t++) {
                int e = seeds[t].length;
                double[] repeated = new double[e * s];
                for (int i = 0; i < e; i++) {
                    System.arraycopy(goalStates, t * s, repeated, i * s, s);
                }
                GaussianPolicy pi = policy.forGoals(repeated);
                int row = t;
                List<Tensor> thetaT = theta.stream().map(p -> p.detach().slice(0, row, row + 1)).toList();
                StochasticRollout ro = StochasticRollout.sample(env, pi, thetaT, start, horizon, seeds[t]);
                double[][] r = GoalReward.of(ro.states(), goals[t]);
                returns[t] = GoalReward.returns(r);
                logp[t] = pi.logProbability(thetaT, ro.statesBeforeActions(), ro.actions()).sum(false, 1).toArray();
                states.add(ro.statesBeforeActions().reshape(1, e * horizon, s));
                actions.add(ro.actions().reshape(1, e * horizon, policy.actions()));
                rewards.add(Tensor.constant(backend, Arrays.stream(r).flatMapToDouble(Arrays::stream).toArray(),
                        1, e * horizon, 1));
            }
        }
        return new PolicyEpisodes(Tensor.concat(states, 0), Tensor.concat(actions, 0), Tensor.concat(rewards, 0),
                returns, logp, horizon);
    }

    public int tasks() {
        return returns.length;
    }

    public int episodes() {
        return returns[0].length;
    }

    /** Each task's mean return over its episodes. */
    public double[] meanReturns() {
        return Arrays.stream(returns).mapToDouble(r -> Arrays.stream(r).average().orElseThrow()).toArray();
    }

    /**
     * The REINFORCE surrogate of {@code policy} at {@code theta} on these episodes, per task
     * {@code [B]}: {@code -mean_e (R_e - b) (log pi_theta(tau_e) - log pi_sampling(tau_e)) - mean_e R_e}
     * with the baseline b the task's mean return. Its gradient is the score-function estimate of
     * the gradient of minus the expected return; its value is minus the mean return (the log-
     * probabilities cancel at the sampling policy), so a logged task loss reads as a return.
     */
    public Tensor reinforce(GaussianPolicy policy, List<Tensor> theta) {
        Backend backend = states.backend();
        int b = tasks();
        int e = episodes();
        Tensor logp = policy.logProbability(theta, states, actions).reshape(b, e, horizon).sum(false, 2);
        double[] advantage = new double[b * e];
        double[] sampling = new double[b * e];
        double[] mean = meanReturns();
        for (int t = 0; t < b; t++) {
            for (int i = 0; i < e; i++) {
                advantage[t * e + i] = returns[t][i] - mean[t];
                sampling[t * e + i] = samplingLogProbability[t][i];
            }
        }
        Tensor weighted = logp.sub(Tensor.constant(backend, sampling, b, e)).mul(Tensor.constant(backend, advantage, b, e));
        return weighted.mean(false, 1).neg().sub(Tensor.constant(backend, mean, b));
    }
}
