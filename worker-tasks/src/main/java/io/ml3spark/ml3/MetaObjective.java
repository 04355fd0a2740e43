package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * The ML3 objective of one outer iteration for a batch of tasks: run the inner loop on
 * the learned loss, measure the task loss of the updated optimizees, and differentiate it
 * with respect to phi through the inner updates (exact second order).
 */
public record MetaObjective(LearnedLoss learnedLoss, Optimizee optimizee, InnerLoop innerLoop, TaskLoss taskLoss)
        implements Serializable {

    /** The summed meta-gradient of the batch's tasks, starting from optimizee parameters {@code theta}. */
    public MetaGradient metaGradient(Backend backend, double[] phi, TaskBatch batch, List<Tensor> theta) {
        return new UnrolledBackprop(innerLoop, false).metaGradient(backend, learnedLoss, phi,
                new SupervisedProblem(optimizee, batch, taskLoss, theta));
    }
}
