package io.ml3spark.driver.table;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.experiments.table.TableBatches;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TaskRows;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A task table read once and kept on the executors: its rows grouped by task id into
 * {@link TaskRows} (each task's rows in their fixed order), in partitions chosen by a hash of the
 * task id. Every cell is checked on the way in; a bad one is a one-line error that names the
 * column, the task id and the file.
 */
public final class TaskTable {
    private static final String FILE = "__ml3_file";
    private static final String BAD_CELL = "bad table cell: ";

    private final JavaRDD<TaskRows> tasks;
    private final long count;
    private final List<String> features;

    private TaskTable(JavaRDD<TaskRows> tasks, long count, List<String> features) {
        this.tasks = tasks;
        this.count = count;
        this.features = features;
    }

    /** The persisted tasks. */
    public JavaRDD<TaskRows> tasks() {
        return tasks;
    }

    public long taskCount() {
        return count;
    }

    /** The feature columns, in the order of each row's values (the label last). */
    public List<String> features() {
        return features;
    }

    /** The feature standardisation from the rows of the meta-train tasks alone ({@code split}). */
    public FeatureScaling scaling(TableSplit split) {
        int width = features.size();
        return tasks.filter(t -> !split.isMetaTest(t.taskId()))
                .aggregate(new FeatureScaling.Sums(width), (sums, t) -> {
                    for (double[] r : t.rows()) {
                        sums.add(r);
                    }
                    return sums;
                }, FeatureScaling.Sums::merge)
                .scaling();
    }

    /**
     * Reads {@code source} into {@code partitions} partitions; every task needs at least
     * {@code supportRows} support and {@code queryRows} query rows under {@code split}. Fails with a
     * {@link ConfigError} naming what is wrong and where.
     */
    public static TaskTable read(SparkSession spark, TableSource source, int partitions, TableSplit split,
                                 int supportRows, int queryRows) {
        Dataset<Row> table = load(spark, source);
        List<String> features = featureColumns(table, source);
        String[] numeric = new String[features.size() + 1];
        for (int f = 0; f < features.size(); f++) {
            numeric[f] = features.get(f);
        }
        numeric[features.size()] = source.labelColumn();
        requireColumn(table, source, source.taskIdColumn());
        for (String c : numeric) {
            DataType type = requireColumn(table, source, c).dataType();
            if (!(type instanceof NumericType)) {
                throw new ConfigError("table " + source.path() + ": column '" + c + "' is " + type.simpleString()
                        + ", not numeric");
            }
        }
        List<Column> selected = new ArrayList<>();
        selected.add(functions.col(source.taskIdColumn()).cast("string"));
        for (String c : numeric) {
            selected.add(functions.col(c).cast("double"));
        }
        selected.add(functions.input_file_name().as(FILE));
        String idColumn = source.taskIdColumn();
        JavaPairRDD<String, double[]> rows = table.select(selected.toArray(Column[]::new)).toJavaRDD()
                .mapToPair(r -> row(r, idColumn, numeric));
        JavaRDD<TaskRows> tasks = rows.groupByKey(new HashPartitioner(partitions))
                .map(t -> {
                    List<double[]> list = new ArrayList<>();
                    t._2().forEach(list::add);
                    return TaskRows.of(t._1(), list);
                })
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<String> tooSmall = tasks.map(t -> TableBatches.shortfall(t, split, supportRows, queryRows))
                    .filter(why -> why != null).take(1);
            if (!tooSmall.isEmpty()) {
                throw new ConfigError("table " + source.path() + ": " + tooSmall.get(0));
            }
            return new TaskTable(tasks, tasks.count(), features);
        } catch (Exception e) {
            // Spark's job failure is a checked SparkException, thrown without being declared.
            tasks.unpersist(false);
            throw badCell(e);
        }
    }

    private static Dataset<Row> load(SparkSession spark, TableSource source) {
        try {
            return spark.read().format(source.format()).option("header", "true").option("inferSchema", "true")
                    .load(source.path());
        } catch (Exception e) {
            // Only the source can fail here: no such path, an unknown format, an unreadable schema.
            throw new ConfigError("table " + source.path() + " (" + source.format() + "): " + firstLine(e.getMessage()));
        }
    }

    private static List<String> featureColumns(Dataset<Row> table, TableSource source) {
        if (!source.featureColumns().isEmpty()) {
            return source.featureColumns();
        }
        List<String> found = Arrays.stream(table.columns()).filter(c -> c.startsWith(source.featurePrefix())).toList();
        if (found.isEmpty()) {
            throw new ConfigError("table " + source.path() + ": no column starts with '" + source.featurePrefix()
                    + "' (columns: " + String.join(", ", table.columns()) + ")");
        }
        return found;
    }

    private static StructField requireColumn(Dataset<Row> table, TableSource source, String column) {
        return Arrays.stream(table.schema().fields()).filter(f -> f.name().equals(column)).findFirst()
                .orElseThrow(() -> new ConfigError("table " + source.path() + ": no column '" + column + "' (columns: "
                        + String.join(", ", table.columns()) + ")"));
    }

    /** One row as (task id, {features..., label}), or a bad-cell error naming column, task and file. */
    private static Tuple2<String, double[]> row(Row r, String idColumn, String[] numeric) {
        String file = r.getString(numeric.length + 1);
        if (r.isNullAt(0)) {
            throw new IllegalArgumentException(BAD_CELL + file + ": a row has no task id (column '"
                    + idColumn + "')");
        }
        String id = r.getString(0);
        double[] values = new double[numeric.length];
        for (int c = 0; c < numeric.length; c++) {
            Object v = r.get(c + 1);
            if (v == null || !Double.isFinite((Double) v)) {
                throw new IllegalArgumentException(BAD_CELL + file + ": task '" + id + "', column '"
                        + numeric[c] + "' holds " + (v == null ? "nothing" : v) + ", not a finite number");
            }
            values[c] = (Double) v;
        }
        return new Tuple2<>(id, values);
    }

    /** A bad cell found on an executor, as the one-line error it is; anything else as it came. */
    private static RuntimeException badCell(Exception e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            int at = m == null ? -1 : m.indexOf(BAD_CELL);
            if (at >= 0 && !(t instanceof ConfigError)) {
                return new ConfigError("table " + firstLine(m.substring(at + BAD_CELL.length())));
            }
        }
        return e instanceof RuntimeException runtime ? runtime : new IllegalStateException(e.getMessage(), e);
    }

    private static String firstLine(String message) {
        String m = String.valueOf(message);
        int end = m.indexOf('\n');
        return (end < 0 ? m : m.substring(0, end)).trim();
    }
}
