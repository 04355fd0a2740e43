package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The best return a goal allows, for judging a policy learner: the open-loop actions of one
 * episode optimised by Adam through the differentiable simulator (our own autodiff). The return
 * is {@code sum_t r_t} with {@code r_t = -|p_{t+1} - g|}, the negative distance of the positions
 * after each action to the goal; actions are bounded as the environment bounds them.
 */
public record OpenLoopOptimum(int steps, double learningRate) {
    public OpenLoopOptimum {
        if (steps < 1 || !(learningRate > 0)) {
            throw new IllegalArgumentException("open-loop optimum: steps >= 1 and a positive learning rate");
        }
    }

    /** The episode's return for the actions {@code [1, T, A]}, differentiable in them. */
    public static Tensor episodeReturn(Environment env, double[] start, Tensor actions, double[] goal) {
        Backend backend = actions.backend();
        int horizon = actions.shape().dim(1);
        int p = goal.length;
        Tensor g = Tensor.constant(backend, goal, 1, 1, p);
        Tensor state = Tensor.constant(backend, start, 1, 1, start.length);
        List<Tensor> distances = new ArrayList<>();
        for (int t = 0; t < horizon; t++) {
            state = env.step(state, env.boundAction(actions.slice(1, t, t + 1)));
            distances.add(Functional.norm(state.slice(-1, 0, p).sub(g), 2, false));
        }
        return Tensor.concat(distances, 1).sum().neg();
    }

    /** The optimised return from zero actions, {@code horizon} steps of {@code actionSize} components. */
    public double of(Backend backend, Environment env, double[] start, int horizon, int actionSize, double[] goal) {
        double[] u = new double[horizon * actionSize];
        Adam adam = new Adam(u.length, learningRate, 0.9, 0.999, 1e-8);
        double best = Double.NEGATIVE_INFINITY;
        for (int step = 0; step <= steps; step++) {
            Tensor actions = Tensor.constant(backend, u, 1, horizon, actionSize).asVariable();
            Tensor r = episodeReturn(env, start, actions, goal);
            best = Math.max(best, r.item());
            if (step < steps) {
                double[] ascent = Autograd.grad(r.neg(), List.of(actions), false).get(0).toArray();
                u = adam.step(u, ascent);
            }
        }
        return best;
    }
}
