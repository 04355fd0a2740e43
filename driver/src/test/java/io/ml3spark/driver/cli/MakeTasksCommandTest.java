package io.ml3spark.driver.cli;

import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.experiments.table.OutlierLines;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MakeTasksCommandTest {
    @TempDir
    Path dir;

    @Test
    void writesEveryTaskRowAsTheGeneratorMakesItAndNeverIntoAnExistingDirectory() throws Exception {
        Path out = dir.resolve("tasks");
        Ml3Cli.Result made = Ml3Cli.run("make-tasks", "--tasks", "30", "--rows", "8", "--features", "3", "--seed", "5",
                "--partitions", "3", "--master", "local[2]", "--out", out.toString());
        assertEquals(0, made.exit(), made.stderr());
        assertTrue(made.stdout().contains("[make-tasks] wrote 30 tasks x 8 rows (3 features, 10% outliers)"), made.stdout());

        SparkSession spark = SparkSession.builder().master("local[1]").appName("MakeTasksCommandTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            Dataset<Row> table = spark.read().parquet(out.toString());
            assertEquals(List.of("task_id", "x_0", "x_1", "x_2", "y"), Arrays.asList(table.columns()));
            assertEquals(240, table.count());
            assertEquals(30, table.select("task_id").distinct().count());
            double[][] written = table.where("task_id = 'task-000007'").collectAsList().stream()
                    .map(r -> new double[] {r.getDouble(1), r.getDouble(2), r.getDouble(3), r.getDouble(4)})
                    .sorted(Comparator.comparingDouble(r -> r[0])).toArray(double[][]::new);
            double[][] generated = new OutlierLines(3, 8, 0.1, 0.1, 5).rows(5, 7);
            Arrays.sort(generated, Comparator.comparingDouble(r -> r[0]));
            assertEquals(8, written.length);
            for (int i = 0; i < 8; i++) {
                assertArrayEquals(generated[i], written[i], 0.0, "row " + i + " of task-000007");
            }
        } finally {
            spark.stop();
        }

        long files = Files.walk(out).filter(Files::isRegularFile).count();
        Ml3Cli.Result again = Ml3Cli.run("make-tasks", "--tasks", "3", "--master", "local[1]", "--out", out.toString());
        assertEquals(1, again.exit(), again.stderr());
        assertEquals("error: --out " + out + " exists: make-tasks writes a new directory only", again.stderr().trim());
        assertEquals(files, Files.walk(out).filter(Files::isRegularFile).count(), "nothing written into it");
    }

    @Test
    void badSizesAreOneLineErrorsBeforeSparkStarts() {
        Ml3Cli.Result r = Ml3Cli.run("make-tasks", "--tasks", "0", "--out", dir.resolve("x").toString());
        assertEquals(2, r.exit());
        assertEquals("error: --tasks: a number in [1, 100000000], got 0", r.stderr().trim());
        r = Ml3Cli.run("make-tasks", "--outlier-fraction", "2", "--out", dir.resolve("x").toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().startsWith("error: --noise, --outlier-fraction, --outlier-scale: "), r.stderr());
        r = Ml3Cli.run("make-tasks", "--family", "flipped-labels", "--classes", "1", "--out", dir.resolve("x").toString());
        assertEquals(2, r.exit());
        assertTrue(r.stderr().startsWith("error: --features, --rows, --classes, --flip-fraction: "), r.stderr());
        r = Ml3Cli.run("make-tasks", "--family", "spirals", "--out", dir.resolve("x").toString());
        assertEquals("error: --family: outlier-lines or flipped-labels, got 'spirals'", r.stderr().trim());
        assertTrue(Files.notExists(dir.resolve("x")));
    }
}
