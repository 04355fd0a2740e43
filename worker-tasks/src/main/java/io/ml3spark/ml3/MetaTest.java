package io.ml3spark.ml3;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;

import java.util.List;

/**
 * Meta-test training: plain SGD of fresh optimizees on a frozen objective (the learned
 * loss, or the task loss for the baseline), recording every task's task loss per step.
 */
public final class MetaTest {
    private MetaTest() {
    }

    /** {@code curves[t][s]}: task loss of task t after s steps, s = 0..steps. */
    public static double[][] curves(TrainingObjective objective, Optimizee optimizee, TaskLoss taskLoss,
                                    List<Tensor> theta, TaskBatch batch, int steps, double learningRate) {
        return curves(objective, optimizee, taskLoss, theta, batch, batch, steps, learningRate);
    }

    /** As above, stepping on {@code batch} and scoring the task loss on {@code scored} (held-out rows of the same tasks). */
    public static double[][] curves(TrainingObjective objective, Optimizee optimizee, TaskLoss taskLoss,
                                    List<Tensor> theta, TaskBatch batch, TaskBatch scored, int steps, double learningRate) {
        double[][] curves = new double[batch.tasks()][steps + 1];
        List<Tensor> current = theta;
        for (int s = 0; s <= steps; s++) {
            if (s > 0) {
                current = InnerLoop.step(objective, optimizee, current, batch, learningRate, false);
            }
            double[] losses;
            try (GradMode.Scope ignored = GradMode.disabled()) {
                losses = taskLoss.perTask(optimizee.predict(current, scored.inputs()), scored).toArray();
            }
            for (int t = 0; t < losses.length; t++) {
                curves[t][s] = losses[t];
            }
        }
        return curves;
    }
}
