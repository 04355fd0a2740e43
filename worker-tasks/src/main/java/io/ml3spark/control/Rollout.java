package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * A differentiable episode of B policies from the same start state in an {@link Environment}:
 * states {@code s_0 .. s_T} as {@code [B, T + 1, S]}, the actions {@code a_0 .. a_{T-1}} the
 * environment applied (bounded) and the policy's outputs before bounding, both
 * {@code [B, T, A]}; all are functions of the policy parameters.
 */
public record Rollout(Tensor states, Tensor actions, Tensor policyOutputs) {

    /** Runs {@code policy} with parameters {@code theta} (task dimension B) for {@code horizon} steps from {@code start}. */
    public static Rollout of(Environment env, Optimizee policy, List<Tensor> theta, double[] start, int horizon) {
        return driven(env, startStates(theta.get(0).backend(), start, theta.get(0).shape().dim(0)), horizon,
                (t, state) -> policy.predict(theta, state));
    }

    /**
     * An episode from the states {@code start} {@code [B, 1, S]} whose output at step t in state s
     * is {@code output.apply(t, s)} (a policy, an expert, random draws); the environment bounds
     * each output into the action it applies.
     */
    public static Rollout driven(Environment env, Tensor start, int horizon, BiFunction<Integer, Tensor, Tensor> output) {
        Tensor state = start;
        List<Tensor> states = new ArrayList<>(horizon + 1);
        List<Tensor> actions = new ArrayList<>(horizon);
        List<Tensor> outputs = new ArrayList<>(horizon);
        states.add(state);
        for (int t = 0; t < horizon; t++) {
            Tensor out = output.apply(t, state);
            Tensor action = env.boundAction(out);
            state = env.step(state, action);
            states.add(state);
            actions.add(action);
            outputs.add(out);
        }
        return new Rollout(Tensor.concat(states, 1), Tensor.concat(actions, 1), Tensor.concat(outputs, 1));
    }

    /** {@code start} for each of {@code tasks} tasks, {@code [B, 1, S]}. */
    public static Tensor startStates(Backend backend, double[] start, int tasks) {
        int size = start.length;
        double[] s0 = new double[size * tasks];
        for (int t = 0; t < tasks; t++) {
            System.arraycopy(start, 0, s0, size * t, size);
        }
        return Tensor.constant(backend, s0, tasks, 1, size);
    }

    public int horizon() {
        return actions.shape().dim(1);
    }

    /** States {@code s_0 .. s_{T-1}}, the ones the actions were taken in. */
    public Tensor statesBeforeActions() {
        return states.slice(1, 0, horizon());
    }

    /** The last state {@code s_T}, {@code [B, 1, S]}. */
    public Tensor finalState() {
        return states.slice(1, horizon(), horizon() + 1);
    }

    /** State component {@code index} over time, {@code [B][T + 1]}, as plain numbers (MountainCar's 0: position). */
    public double[][] component(int index) {
        double[] s = states.toArray();
        int b = states.shape().dim(0);
        int n = states.shape().dim(1);
        int size = states.shape().dim(2);
        double[][] c = new double[b][n];
        for (int t = 0; t < b; t++) {
            for (int i = 0; i < n; i++) {
                c[t][i] = s[(t * n + i) * size + index];
            }
        }
        return c;
    }
}
