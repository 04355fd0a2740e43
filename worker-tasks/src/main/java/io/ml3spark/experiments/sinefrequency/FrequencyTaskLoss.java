package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;

/**
 * The meta-train task loss of the loss-shaping experiment, on the optimizee's frequency
 * theta {@code [B, 1, 1]} and its predictions; one value per task {@code [B]}.
 */
public enum FrequencyTaskLoss {
    /** With extra information: {@code (theta - theta*)^2}, the true frequency being the batch's extra. */
    FREQUENCY {
        @Override
        public Tensor perTask(Tensor theta, Tensor prediction, TaskBatch batch) {
            return theta.sub(batch.extra()).square().sum(false, 1, 2);
        }
    },
    /** Without: the MSE of the predictions. */
    MSE {
        @Override
        public Tensor perTask(Tensor theta, Tensor prediction, TaskBatch batch) {
            return TaskLoss.MSE.perTask(prediction, batch);
        }
    };

    public abstract Tensor perTask(Tensor theta, Tensor prediction, TaskBatch batch);
}
