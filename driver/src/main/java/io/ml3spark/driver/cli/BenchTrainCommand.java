package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.LoopBenchmark;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench-train}: the meta-training loop itself on Spark, against its meta-gradients computed in-process. */
@Command(name = "bench-train", mixinStandardHelpOptions = true,
        description = "Benchmark the meta-training loop on Spark: iterations/s, tasks/s and the share of the time spent"
                + " outside the meta-gradients, per tasks per iteration and Spark tasks per iteration.")
public final class BenchTrainCommand implements Callable<Integer> {
    static final int MAX_TASKS = 1 << 16;

    @Option(names = "--config", paramLabel = "FILE", description = "Experiment config (default: conf/sine-regression.conf).")
    File config = new File("conf/sine-regression.conf");

    @Option(names = "--tasks", split = ",", paramLabel = "T",
            description = "ML3 tasks per outer iteration (default: 1,256); sine regression resamples them every iteration.")
    List<Integer> tasks = List.of(1, 256);

    @Option(names = "--groups", split = ",", paramLabel = "G",
            description = "Spark tasks per outer iteration (default: 2; at most the tasks).")
    List<Integer> groups = List.of(2);

    @Option(names = "--executions", split = ",", paramLabel = "MODE",
            description = "meta-train.execution modes to compare (default: per-iteration,barrier); barrier rows need"
                    + " every group in a slot at once and are skipped otherwise.")
    List<String> executions = List.of("per-iteration", "barrier");

    @Option(names = "--seconds", description = "Measured seconds per row (default: 5).")
    double seconds = 5.0;

    @Mixin
    SparkOptions spark = new SparkOptions();

    @Override
    public Integer call() {
        for (int t : tasks) {
            if (t < 1 || t > MAX_TASKS) {
                throw new ConfigError("--tasks: tasks per iteration must be in [1, " + MAX_TASKS + "], got " + t);
            }
        }
        for (int g : groups) {
            if (g < 1 || g > MAX_TASKS) {
                throw new ConfigError("--groups: Spark tasks per iteration must be in [1, " + MAX_TASKS + "], got " + g);
            }
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new ConfigError("--seconds: a number of seconds in (0, 3600], got " + seconds);
        }
        for (String e : executions) {
            if (!List.of("per-iteration", "barrier", "auto").contains(e)) {
                throw new ConfigError("--executions: per-iteration, barrier or auto, got '" + e + "'");
            }
        }
        RunConfig base = RunConfig.load(config, List.of());
        if (!base.experiment().name().equals("sine-regression")) {
            throw new ConfigError("--config: bench-train runs sine regression (it resamples its tasks per iteration), got "
                    + base.experiment().name());
        }
        try (JavaSparkContext sc = spark.start("ml3 bench-train")) {
            new LoopBenchmark(sc, config, System.out).run(tasks, groups, executions, seconds);
        }
        return 0;
    }
}
