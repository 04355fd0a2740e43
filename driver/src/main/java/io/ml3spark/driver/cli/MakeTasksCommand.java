package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.table.TaskFamilyTable;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.experiments.table.FlippedLabels;
import io.ml3spark.experiments.table.OutlierLines;
import io.ml3spark.experiments.table.TaskFamily;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * {@code make-tasks}: writes a synthetic task family ({@link OutlierLines}) as a Parquet table with
 * columns {@code task_id, x_0 .. x_{F-1}, y}, one row per example, for a table experiment to read.
 * Each task's rows are a function of (seed, task), generated on the executors, so the driver holds
 * nothing of the table; the directory is new, written by Spark's committer.
 */
@Command(name = "make-tasks", mixinStandardHelpOptions = true,
        description = "Write a synthetic task family as a Parquet table: task_id, x_0.., y (outlier-lines: lines with"
                + " gross outliers, a regression; flipped-labels: linear classes with flipped labels).")
public final class MakeTasksCommand implements Callable<Integer> {
    static final int MAX_TASKS = 100_000_000;
    static final int MAX_ROWS = 1_000_000;
    static final int MAX_FEATURES = 10_000;

    @Option(names = "--family", description = "outlier-lines (default) or flipped-labels.")
    String family = "outlier-lines";

    @Option(names = "--classes", description = "flipped-labels: classes (default: 2).")
    int classes = 2;

    @Option(names = "--flip-fraction", description = "flipped-labels: fraction of rows with another class (default: 0.2).")
    double flipFraction = 0.2;

    @Option(names = "--tasks", description = "Tasks (default: 1000).")
    int tasks = 1000;

    @Option(names = "--rows", description = "Rows per task (default: 64).")
    int rows = 64;

    @Option(names = "--features", description = "Feature columns x_0.. (default: 4).")
    int features = 4;

    @Option(names = "--noise", description = "Standard deviation of the rows' Gaussian noise (default: 0.1).")
    double noise = 0.1;

    @Option(names = "--outlier-fraction", description = "Fraction of rows with a gross error (default: 0.1).")
    double outlierFraction = 0.1;

    @Option(names = "--outlier-scale", description = "Size of a gross error, times U(0.5, 1) (default: 5).")
    double outlierScale = 5;

    @Option(names = "--seed", description = "Seed of the family (default: 0).")
    long seed;

    @Option(names = "--partitions", description = "Parquet files written (default: one per 10,000 tasks, at least 1).")
    Integer partitions;

    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "A directory that does not exist yet (any Hadoop file system URI).")
    String out;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws IOException {
        check("--tasks", tasks, MAX_TASKS);
        check("--rows", rows, MAX_ROWS);
        check("--features", features, MAX_FEATURES);
        if (!family.equals("outlier-lines") && !family.equals("flipped-labels")) {
            throw new ConfigError("--family: outlier-lines or flipped-labels, got '" + family + "'");
        }
        TaskFamily made;
        try {
            made = family.equals("outlier-lines") ? new OutlierLines(features, rows, noise, outlierFraction, outlierScale)
                    : new FlippedLabels(features, rows, classes, flipFraction);
        } catch (IllegalArgumentException e) {
            throw new ConfigError((family.equals("flipped-labels") ? "--features, --rows, --classes, --flip-fraction: "
                    : "--noise, --outlier-fraction, --outlier-scale: ") + e.getMessage());
        }
        int files = partitions != null ? partitions : Math.max(1, (int) Math.min(10_000, (tasks + 9_999L) / 10_000));
        check("--partitions", files, Math.min(tasks, 10_000));
        Path target = new Path(out);
        try (JavaSparkContext jsc = spark.start("ml3 make-tasks")) {
            FileSystem fs = target.getFileSystem(jsc.hadoopConfiguration());
            if (fs.exists(target)) {
                throw new RunDirectoryError("--out " + out + " exists: make-tasks writes a new directory only");
            }
            long t0 = System.nanoTime();
            TaskFamilyTable.write(SparkSession.builder().sparkContext(jsc.sc()).getOrCreate(), made, seed, tasks, files,
                    out);
            String noiseKind = made instanceof FlippedLabels ? classes + " classes, %.0f%% flipped labels" : "%.0f%% outliers";
            System.out.printf(Locale.ROOT, "[make-tasks] wrote %d tasks x %d rows (%d features, " + noiseKind + ") to %s"
                    + " in %.1f s%n", tasks, rows, features, 100 * (made instanceof FlippedLabels ? flipFraction
                    : outlierFraction), out, (System.nanoTime() - t0) / 1e9);
        }
        return 0;
    }

    private static void check(String option, int value, int max) {
        if (value < 1 || value > max) {
            throw new ConfigError(option + ": a number in [1, " + max + "], got " + value);
        }
    }
}
