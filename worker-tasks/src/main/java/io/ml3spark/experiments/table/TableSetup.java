package io.ml3spark.experiments.table;

import io.ml3spark.config.Settings;

import java.io.Serializable;
import java.util.List;

/**
 * How a table experiment reads and splits its table: the source and its columns, the class count
 * of a classification's label (0 for a regression), the partitions its tasks are kept in, the
 * meta-train/meta-test and support/query split, the rows each task gives its batches, the tasks
 * each partition gives an iteration, and how many held-out tasks the meta-test trains on.
 */
public record TableSetup(TableSource source, int classes, int partitions, TableSplit split, int supportRows,
                         int queryRows, int tasksPerPartition, int metaTestTasks) implements Serializable {
    /**
     * Reads the {@code table}, {@code split} and {@code rows} sections, {@code tasks-per-partition}
     * and {@code meta-test.tasks}; for a classification also {@code table.classes}.
     */
    public static TableSetup read(Settings s, TableTaskKind kind) {
        Settings table = s.section("table");
        boolean listed = table.hasPath("features");
        if (listed == table.hasPath("feature-prefix")) {
            throw table.invalid("features", "either a list of feature columns (features) or the prefix of their names"
                    + " (feature-prefix), not both or neither");
        }
        Settings split = s.section("split");
        String heldOutColumn = split.hasPath("meta-test-column") ? split.getString("meta-test-column") : null;
        TableSource source = new TableSource(table.getString("path"), table.getChoice("format", "parquet", "orc", "csv",
                "json"), table.hasPath("query") ? table.getString("query") : null, table.getString("task-id"),
                listed ? table.getStringList("features") : List.of(), listed ? null : table.getString("feature-prefix"),
                table.getString("label"), table.hasPath("order-by") ? table.getString("order-by") : null, heldOutColumn);
        if (heldOutColumn != null && split.hasPath("meta-test-fraction")) {
            throw split.invalid("meta-test-column", "either a column that holds tasks out (meta-test-column) or the"
                    + " fraction held out by the hash of the task id (meta-test-fraction), not both");
        }
        // With a column, the fraction is the column's business; the split's hash is not used for tasks.
        double testFraction = heldOutColumn != null ? 0.5 : split.getPositiveDouble("meta-test-fraction");
        double queryFraction = split.getPositiveDouble("query-fraction");
        if (testFraction >= 1) {
            throw split.invalid("meta-test-fraction", "a fraction in (0, 1)");
        }
        if (queryFraction >= 1) {
            throw split.invalid("query-fraction", "a fraction in (0, 1)");
        }
        Settings rows = s.section("rows");
        int classes = kind == TableTaskKind.CLASSIFICATION ? table.getInt("classes", 2) : 0;
        return new TableSetup(source, classes, table.getInt("partitions", 1),
                new TableSplit(testFraction, queryFraction, split.getLong("seed")), rows.getInt("support", 1),
                rows.getInt("query", 1), s.getInt("tasks-per-partition", 1), s.section("meta-test").getInt("tasks", 1));
    }

    /** At most this many ML3 tasks per outer iteration: every partition's share. */
    public int tasksPerIteration() {
        return partitions * tasksPerPartition;
    }
}
