package io.ml3spark.experiments.table;

import java.io.Serializable;

/**
 * How a task table is split: tasks into meta-train and meta-test by a hash of the task id (a
 * meta-test task is never seen in meta-training), and each task's rows into support rows (the
 * inner steps) and query rows (the task loss after them) by a hash of the row's values.
 */
public record TableSplit(double testFraction, double queryFraction, long seed) implements Serializable {
    private static final long TASKS = 1;
    private static final long ROWS = 2;

    public TableSplit {
        if (!(testFraction > 0 && testFraction < 1) || !(queryFraction > 0 && queryFraction < 1)) {
            throw new IllegalArgumentException("the meta-test and query fractions must lie in (0, 1), got "
                    + testFraction + " and " + queryFraction);
        }
    }

    public boolean isMetaTest(String taskId) {
        return StableHash.unit(StableHash.of(taskId, seed ^ TASKS)) < testFraction;
    }

    public boolean isQuery(double[] row) {
        return StableHash.unit(StableHash.of(row, seed ^ ROWS)) < queryFraction;
    }
}
