package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.MetaTest;
import io.ml3spark.driver.run.RunClaim;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.TrainingRun;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Option(names = "--overwrite", description = "Replace the run in --out DIR if it holds one (its files are removed first).")
    boolean overwrite;

    @Option(names = "--skip-evaluation", description = "Do not meta-test after training.")
    boolean skipEvaluation;

    @Override
    public Integer call() {
        if (resume != null && (config.config != null || out != null || overwrite)) {
            throw new ConfigError("--resume RUN_DIR takes the config and output directory of that run; drop --config, --out"
                    + " and --overwrite");
        }
        RunConfig fresh = resume == null ? config.load() : null;
        try (JavaSparkContext sc = spark.start("ml3 train")) {
            RunClaim claim;
            if (resume != null) {
                claim = RunClaim.resume(RunDirectory.openExisting(resume, sc.hadoopConfiguration()), config.overrides,
                        System.out);
            } else {
                String dir = out != null ? out : "runs/" + fresh.experiment().name() + "-seed" + fresh.seed();
                claim = RunClaim.fresh(RunDirectory.open(dir, sc.hadoopConfiguration()), fresh, overwrite, System.out);
            }
            try (claim) {
                double[] learned = TrainingRun.run(sc, claim, System.out);
                if (!skipEvaluation) {
                    MetaTest.run(claim.config(), learned, claim.directory(),
                            claim.directory().uri() + "/" + TrainingRun.LOSS_FILE);
                }
            }
        }
        return 0;
    }
}
