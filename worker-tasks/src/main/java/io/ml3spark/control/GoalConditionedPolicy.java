package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.List;

/**
 * A policy on (state, goal): an MLP on the state and the task's goal side by side, each input
 * column multiplied by {@code inputScale} (the reference's reacher policy, docs/method.md: [1, 1, 8, 8, 1, 1, 1, 1]).
 * {@code goals} holds one goal per task of the batch, {@code [B * G]}; the same parameters
 * then act for different goals. Without {@code stateGradient} the policy reads its state as data
 * (detached, as the reference's reacher policy): a rollout's gradient then runs through the
 * actions and the dynamics, not back through the policy's own input.
 */
public record GoalConditionedPolicy(Mlp network, Init init, double[] inputScale, double[] goals, int goalSize,
                                    boolean stateGradient) implements Optimizee {

    public GoalConditionedPolicy {
        if (inputScale.length != network.inputSize()) {
            throw new IllegalArgumentException("policy input scale has " + inputScale.length + " numbers, the network "
                    + network + " takes " + network.inputSize() + " inputs");
        }
        if (goalSize < 1 || goalSize >= network.inputSize() || goals.length % goalSize != 0) {
            throw new IllegalArgumentException("goals of " + goalSize + " numbers each, got " + goals.length
                    + " numbers for a network on " + network.inputSize() + " inputs");
        }
        inputScale = inputScale.clone();
        goals = goals.clone();
    }

    /** The same policy for other tasks' goals. */
    public GoalConditionedPolicy forGoals(double[] newGoals) {
        return new GoalConditionedPolicy(network, init, inputScale, newGoals, goalSize, stateGradient);
    }

    public int tasks() {
        return goals.length / goalSize;
    }

    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        return network.initializeBatch(backend, init, 0.0, seeds);
    }

    /** Actions {@code [B, N, A]} for states {@code [B, N, S]}: each row of a task sees that task's goal. */
    @Override
    public Tensor predict(List<Tensor> theta, Tensor states) {
        int b = states.shape().dim(0);
        if (b != tasks()) {
            throw new IllegalArgumentException("states of " + b + " tasks, goals of " + tasks());
        }
        Tensor goal = Tensor.constant(states.backend(), goals, b, 1, goalSize)
                .broadcastTo(Shape.of(b, states.shape().dim(1), goalSize));
        return predict(theta, states, goal);
    }

    /** Actions {@code [B, N, A]} for states and goals given row by row, both {@code [B, N, .]} (behavioural cloning on several goals' demonstrations). */
    public Tensor predict(List<Tensor> theta, Tensor states, Tensor rowGoals) {
        Tensor scale = Tensor.constant(states.backend(), inputScale, inputScale.length);
        Tensor read = stateGradient ? states : states.detach();
        return network.forward(theta, Tensor.concat(List.of(read, rowGoals), -1).mul(scale));
    }
}
