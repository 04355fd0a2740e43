package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

/**
 * What an optimizee is trained on: the learned loss M_phi or the task's own loss. Returns
 * a scalar, the sum over the batch's tasks of each task's loss, so that its gradient with
 * respect to task b's parameters is task b's own gradient.
 */
@FunctionalInterface
public interface TrainingObjective {
    Tensor value(Tensor prediction, TaskBatch batch);
}
