package io.ml3spark.driver.table;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.experiments.table.TableSource;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TableTask;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TaskTableTest {
    private static SparkSession spark;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().master("local[2]").appName("TaskTableTest").config("spark.ui.enabled", "false")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static final StructType SCHEMA = DataTypes.createStructType(List.of(
            DataTypes.createStructField("site", DataTypes.StringType, true),
            DataTypes.createStructField("x_0", DataTypes.DoubleType, true),
            DataTypes.createStructField("x_1", DataTypes.DoubleType, true),
            DataTypes.createStructField("y", DataTypes.DoubleType, true)));

    private static List<Row> rows(int tasks, int perTask) {
        List<Row> rows = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            for (int r = 0; r < perTask; r++) {
                rows.add(RowFactory.create("site-" + t, t + 0.25 * r, -r * 1.5, 10.0 * t + r));
            }
        }
        return rows;
    }

    private String write(String name, List<Row> rows, int files) {
        String path = dir.resolve(name).toString();
        spark.createDataFrame(rows, SCHEMA).repartition(files).write().parquet(path);
        return path;
    }

    private static final TableSplit SPLIT = new TableSplit(0.25, 0.5, 3);

    private static TableSource source(String path) {
        return new TableSource(path, "parquet", "site", List.of(), "x_", "y");
    }

    @Test
    void groupsEveryTaskWithItsRowsInOneOrderHoweverTheTableIsSplitIntoFiles() {
        String one = write("one", rows(12, 5), 1);
        String four = write("four", rows(12, 5), 4);
        TaskTable a = TaskTable.read(spark, source(one), 3, SPLIT, 0, 0, 4);
        TaskTable b = TaskTable.read(spark, source(four), 3, SPLIT, 0, 0, 4);
        assertEquals(12, a.taskCount());
        assertEquals(List.of("x_0", "x_1"), a.features());
        Map<String, TableTask> byIdA = byId(a);
        Map<String, TableTask> byIdB = byId(b);
        assertEquals(byIdA.keySet(), byIdB.keySet());
        for (String id : byIdA.keySet()) {
            assertArrayEquals(byIdA.get(id).support(), byIdB.get(id).support(), id);
            assertArrayEquals(byIdA.get(id).query(), byIdB.get(id).query(), id);
        }
        assertEquals(a.fingerprint(), b.fingerprint(), "the fingerprint does not depend on how the rows are stored");
        double[][] site3 = java.util.stream.Stream.concat(java.util.Arrays.stream(byIdA.get("site-3").support()),
                java.util.Arrays.stream(byIdA.get("site-3").query())).toArray(double[][]::new);
        java.util.Arrays.sort(site3, Comparator.comparingDouble(r -> r[0]));
        assertArrayEquals(new double[] {3.25, -1.5, 31.0}, site3[1], 0.0);
        assertEquals(3, a.partitions().getNumPartitions());
        assertEquals(12 * 5, a.rowCount());
    }

    private static Map<String, TableTask> byId(TaskTable table) {
        return table.partitions().collect().stream()
                .flatMap(p -> java.util.stream.Stream.concat(p.metaTrain().stream(), p.metaTest().stream()))
                .collect(Collectors.toMap(TableTask::taskId, Function.identity()));
    }

    @Test
    void anyChangedCellChangesTheFingerprintAndTheHeldOutTasksAreTheFirstByHash() {
        TaskTable a = TaskTable.read(spark, source(write("base", rows(30, 4), 2)), 3, SPLIT, 0, 0, 4);
        List<Row> changed = rows(30, 4);
        changed.set(17, RowFactory.create("site-4", 4.25, -1.5, 41.000001));
        assertNotEquals(a.fingerprint(), TaskTable.read(spark, source(write("changed", changed, 2)), 3, SPLIT, 0, 0, 4)
                .fingerprint());
        List<Row> moved = rows(30, 4);
        moved.set(17, RowFactory.create("site-5", 4.25, -1.5, 41.0));
        assertNotEquals(a.fingerprint(), TaskTable.read(spark, source(write("moved", moved, 2)), 3, SPLIT, 0, 0, 4)
                .fingerprint(), "a row moved to another task");
        List<String> heldOut = a.heldOut().stream().map(TableTask::taskId).toList();
        List<TableTask> all = new ArrayList<>(byId(a).values().stream().filter(t -> SPLIT.isMetaTest(t.taskId())).toList());
        all.sort(io.ml3spark.experiments.table.TablePartition.ID_ORDER);
        assertEquals(all.stream().limit(4).map(TableTask::taskId).toList(), heldOut);
        assertEquals(all.size(), a.taskCount() - a.metaTrainTasks());
    }

    @Test
    void featuresAreStandardisedWithTheMetaTrainTasksAlone() {
        TaskTable table = TaskTable.read(spark, source(write("scaled", rows(40, 3), 2)), 2, SPLIT, 0, 0, 4);
        TableSplit split = SPLIT;
        double[] sum = new double[2];
        double[] squares = new double[2];
        int n = 0;
        for (int t = 0; t < 40; t++) {
            if (split.isMetaTest("site-" + t)) {
                continue;
            }
            for (int r = 0; r < 3; r++) {
                double[] x = {t + 0.25 * r, -r * 1.5};
                for (int f = 0; f < 2; f++) {
                    sum[f] += x[f];
                    squares[f] += x[f] * x[f];
                }
                n++;
            }
        }
        assertTrue(n < 40 * 3 && n > 0, "some tasks are held out");
        FeatureScaling s = table.scaling();
        for (int f = 0; f < 2; f++) {
            double mean = sum[f] / n;
            assertEquals(mean, s.mean()[f], 1e-9);
            assertEquals(Math.sqrt(squares[f] / n - mean * mean), s.std()[f], 1e-9);
        }
    }

    @Test
    void aMissingOrNonNumericColumnIsOneLineNamingItAndTheTable() {
        String path = write("t", rows(3, 4), 1);
        ConfigError missing = assertThrows(ConfigError.class, () -> TaskTable.read(spark,
                new TableSource(path, "parquet", "site", List.of("x_0", "x_9"), null, "y"), 2, SPLIT, 0, 0, 4));
        assertEquals("table " + path + ": no column 'x_9' (columns: site, x_0, x_1, y)", missing.getMessage());
        ConfigError text = assertThrows(ConfigError.class, () -> TaskTable.read(spark,
                new TableSource(path, "parquet", "y", List.of("x_0"), null, "site"), 2, SPLIT, 0, 0, 4));
        assertEquals("table " + path + ": column 'site' is string, not numeric", text.getMessage());
        ConfigError none = assertThrows(ConfigError.class, () -> TaskTable.read(spark,
                new TableSource(dir.resolve("absent").toString(), "parquet", "site", List.of(), "x_", "y"), 2, SPLIT, 0, 0, 4));
        assertTrue(none.getMessage().startsWith("table " + dir.resolve("absent") + " (parquet): "), none.getMessage());
        assertEquals(1, none.getMessage().lines().count(), none.getMessage());
        ConfigError format = assertThrows(ConfigError.class, () -> TaskTable.read(spark,
                new TableSource(path, "parket", "site", List.of(), "x_", "y"), 2, SPLIT, 0, 0, 4));
        assertTrue(format.getMessage().startsWith("table " + path + " (parket): "), format.getMessage());
        assertTrue(format.getMessage().length() > ("table " + path + " (parket): ").length(), "with Spark's reason");
        assertEquals(1, format.getMessage().lines().count(), format.getMessage());
    }

    @Test
    void aNonFiniteOrEmptyCellNamesItsColumnTaskAndFile() {
        List<Row> rows = rows(3, 4);
        rows.set(6, RowFactory.create("site-1", Double.NaN, 0.0, 1.0));
        String path = write("nan", rows, 1);
        ConfigError nan = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(path), 2, SPLIT, 0, 0, 4));
        assertTrue(nan.getMessage().matches("table file://" + java.util.regex.Pattern.quote(path)
                + "/part-[^ ]+\\.parquet: task 'site-1', column 'x_0' holds NaN, not a finite number"), nan.getMessage());
        List<Row> empty = rows(3, 4);
        empty.set(9, RowFactory.create("site-2", 1.0, 0.0, null));
        ConfigError nothing = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(write("null", empty, 1)), 2, SPLIT, 0, 0, 4));
        assertTrue(nothing.getMessage().endsWith(": task 'site-2', column 'y' holds nothing, not a finite number"),
                nothing.getMessage());
    }

    @Test
    void aLabelThatIsNoClassNamesItsColumnTaskAndFile() {
        List<Row> rows = rows(3, 4);
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            rows.set(i, RowFactory.create(r.get(0), r.get(1), r.get(2), (double) (i % 3)));
        }
        String path = write("classes", rows, 1);
        assertEquals(3, TaskTable.read(spark, source(path), 3, 2, SPLIT, 0, 0, 4).taskCount(), "labels 0..2 of 3 classes");
        ConfigError outOfRange = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(path), 2, 2, SPLIT, 0,
                0, 4));
        assertTrue(outOfRange.getMessage().matches("table file://" + java.util.regex.Pattern.quote(path)
                + "/part-[^ ]+\\.parquet: task 'site-\\d', column 'y' holds 2.0, not a class in 0..1"),
                outOfRange.getMessage());
        rows.set(5, RowFactory.create("site-1", 1.0, 0.0, 0.5));
        String half = write("half", rows, 1);
        ConfigError fraction = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(half), 3, 2, SPLIT, 0,
                0, 4));
        assertTrue(fraction.getMessage().endsWith(": task 'site-1', column 'y' holds 0.5, not a class in 0..2"),
                fraction.getMessage());
    }

    @Test
    void aQueryOrdersAndHoldsOutTasksByColumnsTheTableNames() {
        // t: a time to order rows by; test: 1 holds the task out; the query keeps sites 0..9 and derives both.
        String path = write("columns", rows(12, 6), 2);
        TableSource source = new TableSource(path, "parquet", "SELECT site, x_0, x_1, y, -x_1 AS t,"
                + " CASE WHEN site IN ('site-1', 'site-2') THEN 1 ELSE 0 END AS test FROM source"
                + " WHERE CAST(SUBSTRING(site, 6) AS INT) < 10", "site", List.of("x_0", "x_1"), null, "y", "t", "test");
        TaskTable table = TaskTable.read(spark, source, 0, 3, SPLIT, 0, 0, 4);
        assertEquals(10, table.taskCount(), "the query's tasks");
        assertEquals(8, table.metaTrainTasks());
        assertEquals(List.of("site-1", "site-2"), table.heldOut().stream().map(TableTask::taskId).sorted().toList());
        TableTask five = byId(table).get("site-5");
        double[][] all = java.util.stream.Stream.concat(java.util.Arrays.stream(five.support()),
                java.util.Arrays.stream(five.query())).toArray(double[][]::new);
        double[][] support = five.support();
        for (int r = 1; r < support.length; r++) {
            assertTrue(-support[r - 1][1] <= -support[r][1], "rows in the order of t = -x_1");
        }
        assertEquals(6, all.length);

        List<Row> mixed = rows(4, 6);
        String mixedPath = write("mixed", mixed, 1);
        TableSource byRow = new TableSource(mixedPath, "parquet", "SELECT *, CASE WHEN x_1 < -3 THEN 1 ELSE 0 END AS test"
                + " FROM source", "site", List.of("x_0", "x_1"), null, "y", null, "test");
        ConfigError split = assertThrows(ConfigError.class, () -> TaskTable.read(spark, byRow, 0, 2, SPLIT, 0, 0, 4));
        assertTrue(split.getMessage().matches("table " + java.util.regex.Pattern.quote(mixedPath) + ": task 'site-\\d',"
                + " column 'test' is 1 on some rows and 0 on others; a task is held out whole"), split.getMessage());
        TableSource two = new TableSource(mixedPath, "parquet", "SELECT *, 2 AS test FROM source", "site",
                List.of("x_0", "x_1"), null, "y", null, "test");
        ConfigError notAFlag = assertThrows(ConfigError.class, () -> TaskTable.read(spark, two, 0, 2, SPLIT, 0, 0, 4));
        assertTrue(notAFlag.getMessage().endsWith("column 'test' holds 2.0, not 0 (meta-train) or 1 (held out)"),
                notAFlag.getMessage());
        TableSource bad = new TableSource(mixedPath, "parquet", "SELECT nothing FROM source", "site",
                List.of("x_0", "x_1"), null, "y", null, null);
        ConfigError query = assertThrows(ConfigError.class, () -> TaskTable.read(spark, bad, 0, 2, SPLIT, 0, 0, 4));
        assertTrue(query.getMessage().startsWith("table " + mixedPath + ": the query over 'source' failed: "),
                query.getMessage());
        assertEquals(1, query.getMessage().lines().count(), query.getMessage());
    }

    @Test
    void aTaskTooSmallToSplitIsNamed() {
        List<Row> rows = rows(3, 40);
        rows.subList(82, 120).clear();
        String path = write("small", rows, 2);
        assertEquals(3, TaskTable.read(spark, source(path), 2, SPLIT, 0, 0, 4).taskCount(), "no rows required, all pass");
        ConfigError fewTasks = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(path), 2,
                new TableSplit(0.25, 0.5, 7), 0, 0, 4));
        assertEquals("table " + path + ": too few tasks for the meta-train/meta-test split: 3 tasks, 3 to meta-train and 0"
                + " to meta-test at split.meta-test-fraction 0.25", fewTasks.getMessage());
        ConfigError small = assertThrows(ConfigError.class, () -> TaskTable.read(spark, source(path), 2, SPLIT, 2, 1, 4));
        assertTrue(small.getMessage().matches("table " + java.util.regex.Pattern.quote(path) + ": task 'site-2' has"
                + " [0-2] support and [0-2] query rows, the batches take 2 and 1"), small.getMessage());
    }
}
