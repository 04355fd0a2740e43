package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

import java.util.List;

/**
 * The supervised {@link InnerProblem}: the inner steps train {@code stepOptimizee} on
 * {@code stepBatch}, the task loss measures {@code lossOptimizee} on {@code lossBatch}. The two
 * optimizees differ where training and evaluation do (dropout), the two batches where the
 * task loss is measured on held-out examples; for plain regression they are the same.
 */
public record SupervisedProblem(Optimizee stepOptimizee, TaskBatch stepBatch, Optimizee lossOptimizee,
                                TaskBatch lossBatch, TaskLoss loss, List<Tensor> initialParameters)
        implements InnerProblem {

    /** One optimizee and one batch for both the steps and the task loss. */
    public SupervisedProblem(Optimizee optimizee, TaskBatch batch, TaskLoss loss, List<Tensor> initialParameters) {
        this(optimizee, batch, optimizee, batch, loss, initialParameters);
    }

    @Override
    public Tensor innerLoss(TrainingObjective learnedLoss, List<Tensor> theta) {
        return learnedLoss.value(stepOptimizee.predict(theta, stepBatch.inputs()), stepBatch);
    }

    @Override
    public Tensor taskLoss(List<Tensor> theta) {
        return loss.perTask(lossOptimizee.predict(theta, lossBatch.inputs()), lossBatch);
    }
}
