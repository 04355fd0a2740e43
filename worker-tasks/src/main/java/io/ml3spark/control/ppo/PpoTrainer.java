package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalReward;
import io.ml3spark.control.StochasticRollout;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.nn.FlatParameters;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.OrthogonalInit;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * PPO for one goal on a real simulator, first order, on the project's autodiff: each rollout is
 * {@code stepsPerRollout / horizon} episodes of the Gaussian policy from the start state; GAE
 * (no bootstrap past the horizon, as CleanRL's episodes end there) gives advantages and value
 * targets; then {@code epochs} passes of shuffled minibatches step Adam on the policy's and the
 * value network's parameters together on the PPO loss, the gradient's norm clipped. The reward
 * of a step is {@code -|p_{t+1} - g|}. Everything random derives from {@code seed}.
 */
public record PpoTrainer(Environment env, double[] start, int horizon, GaussianPolicy policy, Mlp value,
                         PpoSettings settings) {

    /**
     * What PPO reached: {@code sampledReturns[r]}, the mean return of rollout r's episodes (as
     * CleanRL logs it), and {@code meanActionReturns[r]}, the return of the policy's mean action
     * before update r ({@code [rollouts]}: after the last); {@code envSteps[r]} steps were taken
     * before it.
     */
    public record Progress(double[] sampledReturns, double[] meanActionReturns, long stepsPerRollout) {
        public long envSteps(int r) {
            return r * stepsPerRollout;
        }
    }

    /** Episodes per rollout: as many whole episodes as fit in {@code stepsPerRollout}, at least one. */
    public int episodesPerRollout() {
        return Math.max(1, settings.stepsPerRollout() / horizon);
    }

    /** Trains the policy from PPO's initialisation for {@code goal} (positions), {@code rollouts} times. */
    public Progress train(Backend backend, double[] goal, int rollouts, long seed) {
        int s = start.length;
        int episodes = episodesPerRollout();
        double[] goalState = new double[s];
        System.arraycopy(goal, 0, goalState, 0, goal.length);
        double[] goals = new double[episodes * s];
        for (int e = 0; e < episodes; e++) {
            System.arraycopy(goalState, 0, goals, e * s, s);
        }
        GaussianPolicy pi = policy.forGoals(goals);
        GaussianPolicy one = policy.forGoals(goalState);
        List<Tensor> theta = initialPolicy(backend, seed);
        List<Tensor> v = OrthogonalInit.ppo(value.layers(), 1.0).initializeBatch(value, backend, new long[] {Seeds.derive(seed, 2)});
        int policySize = theta.size();
        List<Tensor> all = new ArrayList<>(theta);
        all.addAll(v);
        List<Shape> shapes = all.stream().map(Tensor::shape).toList();
        double[] flat = FlatParameters.flatten(all);
        Adam adam = new Adam(flat.length, settings.learningRate(), 0.9, 0.999, settings.adamEpsilon());
        PpoLoss loss = new PpoLoss(settings.clip(), settings.valueCoefficient(), true);
        Gae gae = new Gae(settings.gamma(), settings.lambda(), false);
        Tensor goalRows = Tensor.constant(backend, goalState, 1, 1, s);
        double[] sampled = new double[rollouts];
        double[] greedy = new double[rollouts + 1];
        for (int r = 0; r <= rollouts; r++) {
            List<Tensor> params = FlatParameters.variables(backend, flat, shapes);
            List<Tensor> th = params.subList(0, policySize);
            greedy[r] = GoalReward.meanActionReturn(env, one, th, start, horizon, goal);
            if (r == rollouts) {
                break;
            }
            List<Tensor> vp = params.subList(policySize, params.size());
            long[] seeds = new long[episodes];
            for (int e = 0; e < episodes; e++) {
                seeds[e] = Seeds.derive(seed, 3, r, e);
            }
            StochasticRollout ro = StochasticRollout.sample(env, pi, th, start, horizon, seeds);
            double[][] rewards = GoalReward.of(ro.states(), goal);
            double[][] values;
            double[] oldLogp;
            try (GradMode.Scope ignored = GradMode.disabled()) {
                values = rows(valueOf(vp, ro.states(), goalRows), episodes, horizon + 1);
                oldLogp = pi.logProbability(th, ro.statesBeforeActions(), ro.actions()).toArray();
            }
            sampled[r] = Arrays.stream(GoalReward.returns(rewards)).average().orElseThrow();
            double[][] adv = gae.advantages(rewards, values);
            double[][] ret = Gae.returns(adv, values);
            flat = update(backend, flat, shapes, policySize, adam, loss, ro, oldLogp, adv, ret, values, goalRows,
                    new SplittableRandom(Seeds.derive(seed, 4, r)));
        }
        return new Progress(sampled, greedy, (long) episodes * horizon);
    }

    /**
     * The policy PPO starts from for {@code seed}: CleanRL's initialisation, one task, the log
     * standard deviation at the settings' initial value.
     */
    public List<Tensor> initialPolicy(Backend backend, long seed) {
        return initialPolicy(backend, seed, settings.initialLogStd());
    }

    /** The same initial mean, with the log standard deviation at {@code logStd} (another method's start from it). */
    public List<Tensor> initialPolicy(Backend backend, long seed, double logStd) {
        return new GaussianPolicy(policy.mean(), logStd).orthogonal(backend, new long[] {Seeds.derive(seed, 1)});
    }

    private double[] update(Backend backend, double[] flat, List<Shape> shapes, int policySize, Adam adam, PpoLoss loss,
                            StochasticRollout ro, double[] oldLogp, double[][] adv, double[][] ret, double[][] values,
                            Tensor goalRows, SplittableRandom rng) {
        int s = start.length;
        int a = policy.actions();
        int episodes = adv.length;
        int n = episodes * horizon;
        double[] states = ro.statesBeforeActions().toArray();
        double[] actions = ro.actions().toArray();
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        int size = Math.max(1, n / settings.minibatches());
        for (int epoch = 0; epoch < settings.epochs(); epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from + size <= n; from += size) {
                double[] ms = new double[size * s];
                double[] ma = new double[size * a];
                double[] ml = new double[size];
                double[] mA = new double[size];
                double[] mR = new double[size];
                double[] mV = new double[size];
                for (int k = 0; k < size; k++) {
                    int idx = order[from + k];
                    int e = idx / horizon;
                    int t = idx % horizon;
                    System.arraycopy(states, idx * s, ms, k * s, s);
                    System.arraycopy(actions, idx * a, ma, k * a, a);
                    ml[k] = oldLogp[idx];
                    mA[k] = adv[e][t];
                    mR[k] = ret[e][t];
                    mV[k] = values[e][t];
                }
                List<Tensor> params = FlatParameters.variables(backend, flat, shapes);
                Tensor st = Tensor.constant(backend, ms, 1, size, s);
                Tensor rowGoals = goalRows.broadcastTo(Shape.of(1, size, s));
                Tensor logp = policy.mean().predict(params.subList(0, policySize - 1), st, rowGoals);
                Tensor newLogp = logProbability(logp, params.get(policySize - 1), Tensor.constant(backend, ma, 1, size, a));
                Tensor v = value.forward(params.subList(policySize, params.size()),
                        Tensor.concat(List.of(st, rowGoals), -1)).reshape(size);
                Tensor objective = loss.of(newLogp.reshape(size), Tensor.constant(backend, ml, size),
                        Tensor.constant(backend, mA, size), v, Tensor.constant(backend, mV, size),
                        Tensor.constant(backend, mR, size));
                double[] g = FlatParameters.flatten(Autograd.grad(objective, params, false));
                clipNorm(g, settings.maxGradNorm());
                flat = adam.step(flat, g);
            }
        }
        return flat;
    }

    /** log N(action; mean, exp(logStd)^2), summed over components, {@code [1, M]}. */
    private static Tensor logProbability(Tensor mean, Tensor logStd, Tensor actions) {
        Tensor z = actions.sub(mean).div(logStd.exp());
        return z.square().mul(-0.5).sub(logStd).sub(0.5 * Math.log(2 * Math.PI)).sum(false, 2);
    }

    private Tensor valueOf(List<Tensor> vp, Tensor states, Tensor goalRows) {
        int b = states.shape().dim(0);
        int n = states.shape().dim(1);
        Tensor g = goalRows.broadcastTo(Shape.of(b, n, start.length));
        return value.forward(vp, Tensor.concat(List.of(states, g), -1));
    }

    private static double[][] rows(Tensor t, int b, int n) {
        double[] v = t.toArray();
        double[][] out = new double[b][];
        for (int i = 0; i < b; i++) {
            out[i] = Arrays.copyOfRange(v, i * n, (i + 1) * n);
        }
        return out;
    }

    static void clipNorm(double[] g, double max) {
        double sq = 0;
        for (double x : g) {
            sq += x * x;
        }
        double norm = Math.sqrt(sq);
        if (norm > max) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= max / (norm + 1e-6);
            }
        }
    }

}