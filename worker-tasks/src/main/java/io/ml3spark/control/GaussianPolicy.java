package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.OrthogonalInit;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * A Gaussian policy for model-free RL: the action is drawn from N(mu(state, goal), sigma^2) per
 * component, mu the goal-conditioned MLP {@code mean}, log sigma a learned vector that does not
 * depend on the state (as CleanRL's continuous PPO). Its parameters are the mean's, then the log
 * standard deviation {@code [B, 1, A]}.
 */
public record GaussianPolicy(GoalConditionedPolicy mean, double initialLogStd) implements Optimizee {
    private static final double LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

    public GaussianPolicy {
        if (!Double.isFinite(initialLogStd)) {
            throw new IllegalArgumentException("the initial log standard deviation must be finite");
        }
    }

    public int actions() {
        return mean.network().outputSize();
    }

    /** The same policy for other tasks' goals. */
    public GaussianPolicy forGoals(double[] goals) {
        return new GaussianPolicy(mean.forGoals(goals), initialLogStd);
    }

    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        List<Tensor> theta = new ArrayList<>(mean.initialize(backend, seeds));
        theta.add(Tensor.full(backend, initialLogStd, seeds.length, 1, actions()).asVariable());
        return theta;
    }

    /**
     * PPO's initialisation (CleanRL's): orthogonal weights (gain sqrt 2, the output layer 0.01)
     * and zero biases for the mean, one task per seed, the log standard deviation at its initial value.
     */
    public List<Tensor> orthogonal(Backend backend, long[] seeds) {
        Mlp net = mean.network();
        List<Tensor> theta = new ArrayList<>(OrthogonalInit.ppo(net.layers(), 0.01).initializeBatch(net, backend, seeds));
        theta.add(Tensor.full(backend, initialLogStd, seeds.length, 1, actions()).asVariable());
        return theta;
    }

    /** The mean action {@code [B, N, A]}: what the policy does without exploration. */
    @Override
    public Tensor predict(List<Tensor> theta, Tensor states) {
        return mean.predict(meanParameters(theta), states);
    }

    public Tensor logStd(List<Tensor> theta) {
        return theta.get(theta.size() - 1);
    }

    private static List<Tensor> meanParameters(List<Tensor> theta) {
        return theta.subList(0, theta.size() - 1);
    }

    /** Actions {@code mu + sigma * noise} for states {@code [B, N, S]} and standard normal noise {@code [B, N, A]}. */
    public Tensor sample(List<Tensor> theta, Tensor states, Tensor noise) {
        return predict(theta, states).add(logStd(theta).exp().mul(noise));
    }

    /** log pi(action | state), summed over the action's components, {@code [B, N]}. */
    public Tensor logProbability(List<Tensor> theta, Tensor states, Tensor actions) {
        Tensor logStd = logStd(theta);
        Tensor z = actions.sub(predict(theta, states)).div(logStd.exp());
        return z.square().mul(-0.5).sub(logStd).sub(LOG_SQRT_2PI).sum(false, 2);
    }
}
