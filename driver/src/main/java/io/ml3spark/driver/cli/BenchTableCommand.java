package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.TableBenchmark;
import io.ml3spark.experiments.table.TableExperiment;
import org.apache.commons.io.FileUtils;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench-table}: the table data path's cost against the same experiment fed in memory. */
@Command(name = "bench-table", mixinStandardHelpOptions = true,
        description = "Benchmark meta-training on a task table kept on the executors against the same experiment fed"
                + " by its family generated in memory: tasks/s (medians of alternating runs), the table's read time,"
                + " the records Spark read per table row, and the driver's heap after GC.")
public final class BenchTableCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "A table experiment's config (default: conf/table-regression.conf).")
    File config = new File("conf/table-regression.conf");

    @Option(names = "--tasks", split = ",", paramLabel = "N", description = "Family sizes, tasks (default: 10000,100000).")
    List<Integer> tasks = List.of(10_000, 100_000);

    @Option(names = "--rows", description = "Rows per task (default: 64).")
    int rows = 64;

    @Option(names = "--features", description = "Feature columns (default: 4).")
    int features = 4;

    @Option(names = "--iterations", description = "Outer iterations per measured run (default: 300).")
    int iterations = 300;

    @Option(names = "--runs", description = "Alternating runs of each source (default: 3).")
    int runs = 3;

    @Option(names = "--work", paramLabel = "DIR",
            description = "Where the tables are written, and kept for the next call (default: a new temporary directory, removed after).")
    File work;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Config override (repeatable).")
    List<String> overrides = List.of();

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() throws Exception {
        for (int t : tasks) {
            if (t < 10 || t > 10_000_000) {
                throw new ConfigError("--tasks: family sizes in [10, 10000000], got " + t);
            }
        }
        if (rows < 2 || rows > 100_000 || features < 1 || features > 1000 || iterations < 1 || runs < 1 || runs > 99) {
            throw new ConfigError("--rows in [2, 100000], --features in [1, 1000], --iterations >= 1 and --runs in [1, 99]");
        }
        if (!(RunConfig.load(config, overrides).experiment() instanceof TableExperiment)) {
            throw new ConfigError("--config " + config + ": bench-table runs a table experiment");
        }
        Path dir = work != null ? Files.createDirectories(work.toPath()) : Files.createTempDirectory("ml3-bench-table");
        try (JavaSparkContext sc = spark.start("ml3 bench-table")) {
            new TableBenchmark(sc, config, System.out).run(tasks, rows, features, iterations, runs, overrides, dir);
        } finally {
            if (work == null) {
                FileUtils.deleteDirectory(dir.toFile());
            }
        }
        return 0;
    }
}
