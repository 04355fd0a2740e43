package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.List;

/**
 * Where a task table is and what its columns are: anything Spark SQL reads ({@code format}
 * parquet, orc, csv with a header, json lines) at {@code path} on any Hadoop file system,
 * optionally through a SQL {@code query} over it (the view {@value #VIEW}); the task-id column;
 * the feature columns, listed or all those whose names start with {@code featurePrefix} (in the
 * table's order); the label column; optionally a column whose values order each task's rows
 * ({@code orderColumn}, e.g. a time), and a column that holds tasks out for the meta-test
 * ({@code heldOutColumn}: 1 held out, 0 meta-train, the same on all of a task's rows).
 */
public record TableSource(String path, String format, String query, String taskIdColumn, List<String> featureColumns,
                          String featurePrefix, String labelColumn, String orderColumn, String heldOutColumn)
        implements Serializable {
    /** The name a {@code query} reads the table by. */
    public static final String VIEW = "source";

    public TableSource {
        featureColumns = List.copyOf(featureColumns);
        if (featureColumns.isEmpty() == (featurePrefix == null || featurePrefix.isEmpty())) {
            throw new IllegalArgumentException("the features are either listed or named by a prefix, not both or"
                    + " neither");
        }
    }

    /** A table read as it is, its rows ordered by their hashes, its tasks held out by the hashes of their ids. */
    public TableSource(String path, String format, String taskIdColumn, List<String> featureColumns,
                       String featurePrefix, String labelColumn) {
        this(path, format, null, taskIdColumn, featureColumns, featurePrefix, labelColumn, null, null);
    }
}
