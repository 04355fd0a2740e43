package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One task of a table as the inner problem uses it: its support rows (the inner steps) and its
 * query rows (the task loss after them), each {@code {features..., label}} in the task's fixed
 * row order. Split once, when the table is read, so that no iteration hashes a row again.
 */
public record TableTask(String taskId, double[][] support, double[][] query) implements Serializable {
    /** {@code task}'s rows split by {@code split}. */
    public static TableTask of(TaskRows task, TableSplit split) {
        List<double[]> support = new ArrayList<>();
        List<double[]> query = new ArrayList<>();
        for (double[] row : task.rows()) {
            (split.isQuery(row) ? query : support).add(row);
        }
        return new TableTask(task.taskId(), support.toArray(double[][]::new), query.toArray(double[][]::new));
    }
}
