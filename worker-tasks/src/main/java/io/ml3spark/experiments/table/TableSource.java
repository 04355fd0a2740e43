package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.List;

/**
 * Where a task table is and what its columns are: anything Spark SQL reads ({@code format}
 * parquet, orc, csv with a header, json lines) at {@code path} on any Hadoop file system; the
 * task-id column; the feature columns, listed or all those whose names start with
 * {@code featurePrefix} (in the table's order); and the label column.
 */
public record TableSource(String path, String format, String taskIdColumn, List<String> featureColumns,
                          String featurePrefix, String labelColumn) implements Serializable {
    public TableSource {
        featureColumns = List.copyOf(featureColumns);
        if (featureColumns.isEmpty() == (featurePrefix == null || featurePrefix.isEmpty())) {
            throw new IllegalArgumentException("the features are either listed or named by a prefix, not both or"
                    + " neither");
        }
    }
}
