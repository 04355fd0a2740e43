package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

import java.util.List;

/** How the learned loss's per-sample input vector is assembled (experiment specific). */
public enum LossInput {
    /** (yhat, y): regression and classification. */
    PREDICTION_TARGET {
        @Override
        public Tensor assemble(Tensor prediction, TaskBatch batch) {
            return Tensor.concat(List.of(prediction, batch.targets()), -1);
        }
    },
    /**
     * (log p_c, y_c) of each class c as a sample of its own, for classifiers with any number
     * of classes: the learned loss is then summed over classes and averaged over samples.
     */
    PER_CLASS_PREDICTION_TARGET {
        @Override
        public Tensor assemble(Tensor prediction, TaskBatch batch) {
            int tasks = prediction.shape().dim(0);
            return Tensor.concat(List.of(prediction.reshape(tasks, -1, 1), batch.targets().reshape(tasks, -1, 1)), -1);
        }
    },
    /** (x, yhat, y): the shaped sine-frequency loss. */
    INPUT_PREDICTION_TARGET {
        @Override
        public Tensor assemble(Tensor prediction, TaskBatch batch) {
            return Tensor.concat(List.of(batch.inputs(), prediction, batch.targets()), -1);
        }
    },
    /**
     * (state_t, action_t, cost): control, per time step; the batch's inputs are the states,
     * the prediction the policy's actions, the targets the episode's cost repeated per step.
     */
    STATE_ACTION_COST {
        @Override
        public Tensor assemble(Tensor prediction, TaskBatch batch) {
            return INPUT_PREDICTION_TARGET.assemble(prediction, batch);
        }
    };

    /** Per-sample inputs {@code [B, N, width]}. */
    public abstract Tensor assemble(Tensor prediction, TaskBatch batch);
}
