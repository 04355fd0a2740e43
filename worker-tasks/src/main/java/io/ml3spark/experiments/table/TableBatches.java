package io.ml3spark.experiments.table;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * Table tasks as the batched tensors of an inner problem: each task's first {@code supportRows}
 * support rows (the inner steps) and first {@code queryRows} query rows (the task loss after
 * them), in the task's fixed row order, features standardised. The target is the label, or
 * with {@code classes > 0} the label's class as a one-hot row.
 */
public record TableBatches(FeatureScaling scaling, int supportRows, int queryRows, int classes)
        implements Serializable {
    public TableBatches {
        if (supportRows < 1 || queryRows < 1 || classes < 0 || classes == 1) {
            throw new IllegalArgumentException("support and query rows per task must be >= 1 and classes 0 (a"
                    + " regression) or >= 2, got " + supportRows + ", " + queryRows + " and " + classes);
        }
    }

    /** Batches of a regression's tasks: the label is the target. */
    public TableBatches(FeatureScaling scaling, int supportRows, int queryRows) {
        this(scaling, supportRows, queryRows, 0);
    }

    /** Why {@code task} cannot be batched (too few support or query rows), or null if it can. */
    public String shortfall(TableTask task) {
        return shortfall(task, supportRows, queryRows);
    }

    /** Why {@code task} lacks {@code supportRows} support or {@code queryRows} query rows, or null. */
    public static String shortfall(TableTask task, int supportRows, int queryRows) {
        int support = task.support().length;
        int query = task.query().length;
        return support >= supportRows && query >= queryRows ? null : "task '" + task.taskId() + "' has " + support
                + " support and " + query + " query rows, the batches take " + supportRows + " and " + queryRows;
    }

    /** The tasks' support rows {@code [B, supportRows, F]}, targets {@code [B, supportRows, 1 or classes]}. */
    public TaskBatch support(Backend backend, List<TableTask> tasks) {
        return batch(backend, tasks, false, supportRows);
    }

    /** The tasks' query rows {@code [B, queryRows, F]}, targets {@code [B, queryRows, 1 or classes]}. */
    public TaskBatch query(Backend backend, List<TableTask> tasks) {
        return batch(backend, tasks, true, queryRows);
    }

    private TaskBatch batch(Backend backend, List<TableTask> tasks, boolean query, int rows) {
        int features = scaling.mean().length;
        int width = classes == 0 ? 1 : classes;
        int b = tasks.size();
        double[] x = new double[b * rows * features];
        double[] y = new double[b * rows * width];
        for (int t = 0; t < b; t++) {
            String why = shortfall(tasks.get(t));
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
            double[][] part = query ? tasks.get(t).query() : tasks.get(t).support();
            for (int r = 0; r < rows; r++) {
                double[] scaled = scaling.apply(part[r]);
                System.arraycopy(scaled, 0, x, (t * rows + r) * features, features);
                double label = scaled[features];
                if (classes == 0) {
                    y[t * rows + r] = label;
                } else if (label == (int) label && label >= 0 && label < classes) {
                    y[(t * rows + r) * classes + (int) label] = 1;
                } else {
                    throw new IllegalArgumentException("task '" + tasks.get(t).taskId() + "' has the label " + label
                            + ", not a class in 0.." + (classes - 1));
                }
            }
        }
        return new TaskBatch(Tensor.constant(backend, x, b, rows, features), Tensor.constant(backend, y, b, rows, width));
    }
}
