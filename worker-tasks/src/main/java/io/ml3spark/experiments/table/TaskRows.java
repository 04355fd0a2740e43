package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One task of a table: its id, its rows, each {@code {features..., label}}, in a fixed order
 * whatever order they were read in (by a key column where the table names one, ties and
 * otherwise by the hash of the row's values, then by the values), and whether a column of the
 * table holds the task out for the meta-test ({@code heldOut}; null where the split hashes ids).
 */
public record TaskRows(String taskId, double[][] rows, Boolean heldOut) implements Serializable {
    private static final long ORDER = 0x7ab1e;

    private record Keyed(double key, long hash, double[] row) {
    }

    /** The task's rows in the order of their hashes (each row hashed once). */
    public static TaskRows of(String taskId, List<double[]> rows) {
        return of(taskId, rows, new double[rows.size()], null);
    }

    /** The task's rows in the order of {@code keys} (one per row), ties by the rows' hashes. */
    public static TaskRows of(String taskId, List<double[]> rows, double[] keys, Boolean heldOut) {
        Keyed[] keyed = new Keyed[rows.size()];
        for (int i = 0; i < keyed.length; i++) {
            keyed[i] = new Keyed(keys[i], StableHash.of(rows.get(i), ORDER), rows.get(i));
        }
        double[][] sorted = Arrays.stream(keyed).sorted(Comparator.comparingDouble(Keyed::key)
                        .thenComparingLong(Keyed::hash).thenComparing(Keyed::row, Arrays::compare))
                .map(Keyed::row).toArray(double[][]::new);
        return new TaskRows(taskId, sorted, heldOut);
    }
}
