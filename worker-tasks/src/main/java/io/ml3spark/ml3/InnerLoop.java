package io.ml3spark.ml3;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * K steps of plain SGD on a training objective, each a pure function
 * {@code theta' = theta - lr * d objective / d theta}. With {@code differentiable} the
 * steps stay in the graph, so theta_K is a function of phi (meta-training); without,
 * each step starts from fresh leaves (meta-test, baseline).
 */
public record InnerLoop(int steps, double learningRate) implements Serializable {
    public InnerLoop {
        if (steps < 1) {
            throw new IllegalArgumentException("inner steps must be >= 1, got " + steps);
        }
    }

    public List<Tensor> run(TrainingObjective objective, Optimizee optimizee, List<Tensor> theta, TaskBatch batch,
                            boolean differentiable) {
        List<Tensor> current = theta;
        for (int k = 0; k < steps; k++) {
            current = step(objective, optimizee, current, batch, learningRate, differentiable);
        }
        return current;
    }

    /** One SGD step. */
    public static List<Tensor> step(TrainingObjective objective, Optimizee optimizee, List<Tensor> theta,
                                    TaskBatch batch, double learningRate, boolean differentiable) {
        return update(theta, objective.value(optimizee.predict(theta, batch.inputs()), batch), learningRate,
                differentiable);
    }

    /**
     * {@code theta - lr * d loss / d theta} for a loss already computed from theta (a rollout
     * cost, say); with {@code differentiable} the update stays in the graph.
     */
    public static List<Tensor> update(List<Tensor> theta, Tensor loss, double learningRate, boolean differentiable) {
        List<Tensor> grads = Autograd.grad(loss, theta, differentiable);
        List<Tensor> next = new ArrayList<>(theta.size());
        for (int i = 0; i < theta.size(); i++) {
            Tensor updated = theta.get(i).sub(grads.get(i).mul(learningRate));
            next.add(differentiable ? updated : updated.asVariable());
        }
        return next;
    }
}
