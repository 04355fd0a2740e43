package io.ml3spark.experiments;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;

/** The fraction of samples whose largest log-probability is at the one-hot target's class. */
public final class ClassAccuracy {
    private ClassAccuracy() {
    }

    /** The accuracy of the rows of {@code logp} against {@code oneHot}, both {@code [rows, classes]} flat. */
    public static double of(double[] logp, double[] oneHot, int classes) {
        int rows = logp.length / classes;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logp[r * classes + c] > logp[r * classes + best]) {
                    best = c;
                }
            }
            correct += oneHot[r * classes + best] == 1.0 ? 1 : 0;
        }
        return (double) correct / rows;
    }

    /**
     * Each task's accuracy, shape {@code [B]}, in the form of a {@link TaskLoss} so that a
     * meta-test can record it per step; a score (higher is better), not differentiable.
     */
    public static final TaskLoss PER_TASK = (logProbabilities, batch) -> {
        int tasks = logProbabilities.shape().dim(0);
        int classes = logProbabilities.shape().dim(2);
        double[] logp = logProbabilities.toArray();
        double[] targets = batch.targets().toArray();
        int perTask = logp.length / tasks;
        double[] accuracy = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            accuracy[t] = of(java.util.Arrays.copyOfRange(logp, t * perTask, (t + 1) * perTask),
                    java.util.Arrays.copyOfRange(targets, t * perTask, (t + 1) * perTask), classes);
        }
        return Tensor.constant(logProbabilities.backend(), accuracy, tasks);
    };
}
