package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * One task of a table: its id and its rows, each {@code {features..., label}}, in a fixed order
 * (by the hash of the row's values, ties by the values), whatever order they were read in.
 */
public record TaskRows(String taskId, double[][] rows) implements Serializable {
    private static final long ORDER = 0x7ab1e;

    private record Keyed(long hash, double[] row) {
    }

    /** The task's rows in their fixed order (each row hashed once). */
    public static TaskRows of(String taskId, List<double[]> rows) {
        double[][] sorted = rows.stream().map(r -> new Keyed(StableHash.of(r, ORDER), r))
                .sorted(Comparator.comparingLong(Keyed::hash).thenComparing(Keyed::row, Arrays::compare))
                .map(Keyed::row).toArray(double[][]::new);
        return new TaskRows(taskId, sorted);
    }
}
