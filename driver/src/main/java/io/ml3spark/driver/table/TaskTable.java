package io.ml3spark.driver.table;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.experiments.table.StableHash;
import io.ml3spark.experiments.table.TablePartition;
import io.ml3spark.experiments.table.TableSetup;
import io.ml3spark.experiments.table.TableSource;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TableTask;
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
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A task table read once and kept on the executors: its rows grouped by task id, in partitions
 * chosen by a hash of the task id, each kept as one {@link TablePartition} (meta-train and
 * meta-test tasks, rows split into support and query). One pass after the read checks every task
 * and summarises the table for the driver ({@link PartitionSummary}). Every cell is checked on the
 * way in; a bad one is a one-line error that names the column, the task id and the file.
 */
public final class TaskTable {
    private static final String FILE = "__ml3_file";
    private static final String BAD_CELL = "bad table cell: ";

    private final JavaRDD<TablePartition> partitions;
    private final List<String> features;
    private final List<PartitionSummary> summaries;
    private final List<TableTask> heldOut;

    private TaskTable(JavaRDD<TablePartition> partitions, List<String> features, List<PartitionSummary> summaries,
                      int heldOut) {
        this.partitions = partitions;
        this.features = features;
        this.summaries = summaries;
        List<TableTask> all = new ArrayList<>();
        summaries.forEach(s -> all.addAll(s.firstMetaTest()));
        all.sort(TablePartition.ID_ORDER);
        this.heldOut = List.copyOf(all.subList(0, Math.min(heldOut, all.size())));
    }

    /** The persisted partitions, one {@link TablePartition} each. */
    public JavaRDD<TablePartition> partitions() {
        return partitions;
    }

    public long taskCount() {
        return metaTrainTasks() + summaries.stream().mapToLong(PartitionSummary::metaTestTasks).sum();
    }

    public long metaTrainTasks() {
        return summaries.stream().mapToLong(PartitionSummary::metaTrainTasks).sum();
    }

    public long rowCount() {
        return summaries.stream().mapToLong(PartitionSummary::rows).sum();
    }

    /** Each partition's meta-train task count, by partition index. */
    public int[] metaTrainTasksByPartition() {
        int[] counts = new int[summaries.size()];
        summaries.forEach(s -> counts[s.index()] = s.metaTrainTasks());
        return counts;
    }

    /** The feature columns, in the order of each row's values (the label last). */
    public List<String> features() {
        return features;
    }

    /** The feature standardisation from the rows of the meta-train tasks alone. */
    public FeatureScaling scaling() {
        FeatureScaling.Sums sums = new FeatureScaling.Sums(features.size());
        summaries.forEach(s -> sums.merge(s.sums()));
        return sums.scaling();
    }

    /** The held-out tasks the meta-test trains on: the first ones in the order of their ids' hashes. */
    public List<TableTask> heldOut() {
        return heldOut;
    }

    /**
     * A fingerprint of the table's content (task ids, feature and label values, column names)
     * that does not depend on the order of its rows or files: 128 bits as 32 hex digits.
     */
    public String fingerprint() {
        long low = StableHash.of(String.join("\u0000", features), 1);
        long high = StableHash.of(String.join("\u0000", features), 2);
        for (PartitionSummary s : summaries) {
            low += s.fingerprintLow();
            high += s.fingerprintHigh();
        }
        return String.format("%016x%016x", high, low);
    }

    /** Drops the kept partitions from the executors. */
    public void release() {
        partitions.unpersist(false);
    }

    /** Reads the table of {@code setup}, as {@link #read(SparkSession, TableSource, int, TableSplit, int, int, int)}. */
    public static TaskTable read(SparkSession spark, TableSetup setup) {
        return read(spark, setup.source(), setup.classes(), setup.partitions(), setup.split(), setup.supportRows(),
                setup.queryRows(), setup.metaTestTasks());
    }

    /** Reads a regression's table (its label any number), as below. */
    public static TaskTable read(SparkSession spark, TableSource source, int partitions, TableSplit split,
                                 int supportRows, int queryRows, int heldOut) {
        return read(spark, source, 0, partitions, split, supportRows, queryRows, heldOut);
    }

    /**
     * Reads {@code source} into {@code partitions} partitions; with {@code classes > 0} every
     * label must be a class index in {@code 0..classes-1}; every task needs at least
     * {@code supportRows} support and {@code queryRows} query rows under {@code split}, and the
     * split must leave meta-train and meta-test tasks. Fails with a {@link ConfigError} naming
     * what is wrong and where.
     */
    public static TaskTable read(SparkSession spark, TableSource source, int classes, int partitions, TableSplit split,
                                 int supportRows, int queryRows, int heldOut) {
        Dataset<Row> table = load(spark, source);
        List<String> features = featureColumns(table, source);
        // Each row read as {features..., label, [order key], [held-out flag]}.
        RowLayout layout = new RowLayout(features.size() + 1, source.orderColumn(), source.heldOutColumn(),
                source.path());
        List<String> readColumns = new ArrayList<>(features);
        readColumns.add(source.labelColumn());
        readColumns.addAll(layout.extraColumns());
        requireColumn(table, source, source.taskIdColumn());
        for (String c : readColumns) {
            DataType type = requireColumn(table, source, c).dataType();
            boolean flag = c.equals(source.heldOutColumn()) && type.equals(DataTypes.BooleanType);
            if (!(type instanceof NumericType) && !flag) {
                throw new ConfigError("table " + source.path() + ": column '" + c + "' is " + type.simpleString()
                        + ", not numeric");
            }
        }
        List<Column> selected = new ArrayList<>();
        selected.add(functions.col(source.taskIdColumn()).cast("string"));
        for (String c : readColumns) {
            selected.add(functions.col(c).cast("double"));
        }
        selected.add(functions.input_file_name().as(FILE));
        String idColumn = source.taskIdColumn();
        String[] columns = readColumns.toArray(String[]::new);
        JavaPairRDD<String, double[]> rows = table.select(selected.toArray(Column[]::new)).toJavaRDD()
                .mapToPair(r -> row(r, idColumn, columns, classes, layout));
        JavaRDD<TablePartition> kept = rows.groupByKey(new HashPartitioner(partitions))
                .mapPartitionsWithIndex((index, tasks) -> List.of(TablePartition.of(index, new TaskIterator(tasks,
                        layout), split)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        int width = features.size();
        try {
            List<PartitionSummary> summaries = kept.map(p -> PartitionSummary.of(p, width, supportRows, queryRows,
                    heldOut)).collect();
            TaskTable read = new TaskTable(kept, features, summaries, heldOut);
            String tooSmall = summaries.stream().map(PartitionSummary::shortfall).filter(why -> why != null)
                    .findFirst().orElse(null);
            if (tooSmall != null) {
                throw new ConfigError("table " + source.path() + ": " + tooSmall);
            }
            long test = read.taskCount() - read.metaTrainTasks();
            if (read.metaTrainTasks() == 0 || test == 0) {
                throw new ConfigError("table " + source.path() + ": too few tasks for the meta-train/meta-test split: "
                        + read.taskCount() + " tasks, " + read.metaTrainTasks() + " to meta-train and " + test
                        + " to meta-test " + (source.heldOutColumn() != null ? "by column '" + source.heldOutColumn()
                        + "'" : "at split.meta-test-fraction " + split.testFraction()));
            }
            return read;
        } catch (Exception e) {
            // Spark's job failure is a checked SparkException, thrown without being declared.
            kept.unpersist(false);
            throw badCell(e);
        }
    }

    /**
     * Where a read row keeps its values: {@code values} features and label, then the order key
     * if the table names an order column, then the held-out flag if it names a split column.
     */
    private record RowLayout(int values, String orderColumn, String heldOutColumn, String table)
            implements java.io.Serializable {
        List<String> extraColumns() {
            List<String> extra = new ArrayList<>();
            if (orderColumn != null) {
                extra.add(orderColumn);
            }
            if (heldOutColumn != null) {
                extra.add(heldOutColumn);
            }
            return extra;
        }

        /** One task's read rows, stripped of the order key and flag, in their order, held out as its flag says. */
        TaskRows task(String id, Iterable<double[]> read) {
            List<double[]> rows = new ArrayList<>();
            List<Double> keys = new ArrayList<>();
            Boolean heldOut = null;
            for (double[] r : read) {
                rows.add(Arrays.copyOf(r, values));
                keys.add(orderColumn == null ? 0 : r[values]);
                if (heldOutColumn != null) {
                    boolean flag = r[r.length - 1] == 1;
                    if (heldOut != null && heldOut != flag) {
                        throw new IllegalArgumentException(BAD_CELL + table + ": task '" + id + "', column '"
                                + heldOutColumn + "' is 1 on some rows and 0 on others; a task is held out whole");
                    }
                    heldOut = flag;
                }
            }
            return TaskRows.of(id, rows, keys.stream().mapToDouble(Double::doubleValue).toArray(), heldOut);
        }
    }

    /** A partition's grouped rows as {@link TaskRows}, one task at a time. */
    private record TaskIterator(java.util.Iterator<Tuple2<String, Iterable<double[]>>> grouped, RowLayout layout)
            implements java.util.Iterator<TaskRows> {
        @Override
        public boolean hasNext() {
            return grouped.hasNext();
        }

        @Override
        public TaskRows next() {
            Tuple2<String, Iterable<double[]>> t = grouped.next();
            return layout.task(t._1(), t._2());
        }
    }

    private static Dataset<Row> load(SparkSession spark, TableSource source) {
        Dataset<Row> table;
        try {
            table = spark.read().format(source.format()).option("header", "true").option("inferSchema", "true")
                    .load(source.path());
        } catch (Exception e) {
            // Only the source can fail here: no such path, an unknown format, an unreadable schema.
            throw new ConfigError("table " + source.path() + " (" + source.format() + "): " + firstLine(e.getMessage()));
        }
        if (source.query() == null) {
            return table;
        }
        try {
            table.createOrReplaceTempView(TableSource.VIEW);
            return spark.sql(source.query());
        } catch (Exception e) {
            throw new ConfigError("table " + source.path() + ": the query over '" + TableSource.VIEW + "' failed: "
                    + firstLine(e.getMessage()));
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
    private static Tuple2<String, double[]> row(Row r, String idColumn, String[] columns, int classes, RowLayout layout) {
        String file = r.getString(columns.length + 1);
        if (r.isNullAt(0)) {
            throw new IllegalArgumentException(BAD_CELL + file + ": a row has no task id (column '"
                    + idColumn + "')");
        }
        String id = r.getString(0);
        double[] values = new double[columns.length];
        for (int c = 0; c < columns.length; c++) {
            Object v = r.get(c + 1);
            if (v == null || !Double.isFinite((Double) v)) {
                throw new IllegalArgumentException(BAD_CELL + file + ": task '" + id + "', column '"
                        + columns[c] + "' holds " + (v == null ? "nothing" : v) + ", not a finite number");
            }
            values[c] = (Double) v;
        }
        double label = values[layout.values() - 1];
        if (classes > 0 && !(label == Math.rint(label) && label >= 0 && label < classes)) {
            throw new IllegalArgumentException(BAD_CELL + file + ": task '" + id + "', column '"
                    + columns[layout.values() - 1] + "' holds " + label + ", not a class in 0.." + (classes - 1));
        }
        if (layout.heldOutColumn() != null && values[values.length - 1] != 0 && values[values.length - 1] != 1) {
            throw new IllegalArgumentException(BAD_CELL + file + ": task '" + id + "', column '"
                    + layout.heldOutColumn() + "' holds " + values[values.length - 1] + ", not 0 (meta-train) or 1"
                    + " (held out)");
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
