package io.ml3spark.experiments.table;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * Table tasks as the batched tensors of an inner problem: each task's first {@code supportRows}
 * support rows (the inner steps) and first {@code queryRows} query rows (the task loss after
 * them), in the task's fixed row order, features standardised, the label the target.
 */
public record TableBatches(FeatureScaling scaling, int supportRows, int queryRows)
        implements Serializable {
    public TableBatches {
        if (supportRows < 1 || queryRows < 1) {
            throw new IllegalArgumentException("support and query rows per task must be >= 1, got " + supportRows
                    + " and " + queryRows);
        }
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

    /** The tasks' support rows {@code [B, supportRows, F]}, targets {@code [B, supportRows, 1]}. */
    public TaskBatch support(Backend backend, List<TableTask> tasks) {
        return batch(backend, tasks, false, supportRows);
    }

    /** The tasks' query rows {@code [B, queryRows, F]}, targets {@code [B, queryRows, 1]}. */
    public TaskBatch query(Backend backend, List<TableTask> tasks) {
        return batch(backend, tasks, true, queryRows);
    }

    private TaskBatch batch(Backend backend, List<TableTask> tasks, boolean query, int rows) {
        int features = scaling.mean().length;
        int b = tasks.size();
        double[] x = new double[b * rows * features];
        double[] y = new double[b * rows];
        for (int t = 0; t < b; t++) {
            String why = shortfall(tasks.get(t));
            if (why != null) {
                throw new IllegalArgumentException(why);
            }
            double[][] part = query ? tasks.get(t).query() : tasks.get(t).support();
            for (int r = 0; r < rows; r++) {
                double[] scaled = scaling.apply(part[r]);
                System.arraycopy(scaled, 0, x, (t * rows + r) * features, features);
                y[t * rows + r] = scaled[features];
            }
        }
        return new TaskBatch(Tensor.constant(backend, x, b, rows, features), Tensor.constant(backend, y, b, rows, 1));
    }
}
