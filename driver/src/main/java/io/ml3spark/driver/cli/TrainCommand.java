package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.TrainingRun;
import io.ml3spark.driver.train.ExecutorDevice;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code train}: meta-trains a learned loss on Spark (or resumes a run), then meta-tests it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Meta-train a learned loss on Spark and write the run directory; then meta-test it.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory, any Hadoop file system URI (default: runs/<experiment>-seed<seed>).")
    String out;

    @Option(names = "--resume", paramLabel = "RUN_DIR",
            description = "Continue the run in RUN_DIR from its newest valid checkpoint, with its saved config (--set still applies).")
    String resume;

    @Option(names = "--skip-evaluation", description = "Do not meta-test after training.")
    boolean skipEvaluation;

    @Override
    public Integer call() {
        if (resume != null && (config.config != null || out != null)) {
            throw new ConfigError("--resume RUN_DIR takes the config and output directory of that run; drop --config and --out");
        }
        try (JavaSparkContext sc = spark.start("ml3 train")) {
            RunConfig cfg;
            RunDirectory dir;
            if (resume != null) {
                String saved = resume + "/" + TrainingRun.CONFIG_FILE;
                cfg = config.loadText(new String(RunDirectory.read(saved, sc.hadoopConfiguration()), StandardCharsets.UTF_8),
                        saved);
                dir = RunDirectory.open(resume, sc.hadoopConfiguration());
            } else {
                cfg = config.load();
                dir = RunDirectory.open(out != null ? out : "runs/" + cfg.experiment().name() + "-seed" + cfg.seed(),
                        sc.hadoopConfiguration());
            }
            double[] learned = TrainingRun.run(sc, cfg, dir, resume != null, System.out);
            if (!skipEvaluation) {
                EvaluateCommand.evaluate(cfg.experiment(), cfg, learned, dir, dir.uri() + "/" + TrainingRun.LOSS_FILE);
            }
        }
        return 0;
    }
}
