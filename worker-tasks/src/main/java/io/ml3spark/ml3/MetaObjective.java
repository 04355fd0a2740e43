package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * The parts of supervised ML3 with one optimizee (sine regression, the benchmark): the inner
 * loop trains the optimizee on a task batch with the learned loss, the task loss measures it on
 * the same batch, and the meta-gradient is backpropagated through the inner updates.
 */
public record MetaObjective(LearnedLoss learnedLoss, Optimizee optimizee, InnerLoop innerLoop, TaskLoss taskLoss)
        implements Serializable {

    public UnrolledBackprop estimator() {
        return new UnrolledBackprop(innerLoop, false);
    }

    /** The batch's tasks, their optimizees starting at {@code theta}. */
    public InnerProblem problem(TaskBatch batch, List<Tensor> theta) {
        return new SupervisedProblem(optimizee, batch, taskLoss, theta);
    }

    /** The summed meta-gradient of the batch's tasks, starting from optimizee parameters {@code theta}. */
    public MetaGradient metaGradient(Backend backend, double[] phi, TaskBatch batch, List<Tensor> theta) {
        return estimator().metaGradient(backend, learnedLoss, phi, problem(batch, theta));
    }
}
