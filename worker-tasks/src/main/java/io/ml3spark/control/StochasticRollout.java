package io.ml3spark.control;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.util.List;
import java.util.SplittableRandom;

/**
 * Episodes of B Gaussian policies on a real simulator, sampled as data (model-free RL
 * differentiates their log-probabilities afterwards, not the simulator): states
 * {@code [B, T + 1, S]}, the drawn actions {@code [B, T, A]} before the environment bounds them,
 * and the noise that drew them. Task t's noise comes from {@code seeds[t]} alone, so an
 * episode does not depend on which tasks share its batch.
 */
public record StochasticRollout(Tensor states, Tensor actions, Tensor noise) {

    public static StochasticRollout sample(Environment env, GaussianPolicy policy, List<Tensor> theta, double[] start,
                                           int horizon, long[] seeds) {
        Backend backend = theta.get(0).backend();
        int b = seeds.length;
        int a = policy.actions();
        double[][] draws = new double[b][];
        for (int t = 0; t < b; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            draws[t] = new double[horizon * a];
            for (int i = 0; i < draws[t].length; i++) {
                draws[t][i] = rng.nextGaussian();
            }
        }
        double[] noise = new double[b * horizon * a];
        for (int t = 0; t < b; t++) {
            System.arraycopy(draws[t], 0, noise, t * horizon * a, horizon * a);
        }
        Tensor allNoise = Tensor.constant(backend, noise, b, horizon, a);
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Rollout r = Rollout.driven(env, Rollout.startStates(backend, start, b), horizon,
                    (t, state) -> policy.sample(theta, state, allNoise.slice(1, t, t + 1)));
            return new StochasticRollout(r.states(), r.policyOutputs(), allNoise);
        }
    }

    public int horizon() {
        return actions.shape().dim(1);
    }

    /** States {@code s_0 .. s_{T-1}}, the ones the actions were drawn in. */
    public Tensor statesBeforeActions() {
        return states.slice(1, 0, horizon());
    }
}
