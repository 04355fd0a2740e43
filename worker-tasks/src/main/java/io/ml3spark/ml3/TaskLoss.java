package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

import java.io.Serializable;

/** The real loss L of a task, which meta-training minimises after the inner loop. */
public interface TaskLoss extends Serializable {
    /** One loss per task, shape {@code [B]}. */
    Tensor perTask(Tensor prediction, TaskBatch batch);

    /** The sum over tasks, as an objective for plain SGD on the task loss (the baseline). */
    default TrainingObjective asObjective() {
        return (prediction, batch) -> perTask(prediction, batch).sum();
    }

    /** Mean squared error over a task's samples and outputs. */
    TaskLoss MSE = (prediction, batch) -> {
        int perTask = prediction.shape().dim(1) * prediction.shape().dim(2);
        return prediction.sub(batch.targets()).square().sum(false, 1, 2).div(perTask);
    };

    /** Negative log-likelihood of one-hot targets under log-probabilities, averaged over each task's samples. */
    TaskLoss NLL = (logProbabilities, batch) ->
            logProbabilities.mul(batch.targets()).sum(false, 1, 2).neg().div(batch.samples());
}
