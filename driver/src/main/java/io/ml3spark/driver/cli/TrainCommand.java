package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.RunClaim;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.TrainingRun;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.concurrent.Callable;

/** {@code train}: meta-trains a learned loss on Spark (or resumes a run), then meta-tests it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Meta-train a learned loss on Spark and write the run directory; then meta-test it.")
public final class TrainCommand implements Callable<Integer> {
    @ArgGroup(exclusive = true, multiplicity = "1")
    Source source;

    /** A new run's config, or the run to resume: exactly one. */
    static final class Source {
        @Option(names = "--config", required = true, paramLabel = "FILE",
                description = "Experiment config (HOCON) of a new run, e.g. conf/sine-regression.conf.")
        File config;

        @Option(names = "--resume", required = true, paramLabel = "RUN_DIR",
                description = "Continue the run in RUN_DIR from its newest valid checkpoint, with its saved config "
                        + "(--set may change only meta-train.iterations, log-every, checkpoint-every, keep-checkpoints,"
                        + " execution, iterations-per-job and <experiment>.meta-test).")
        String resume;
    }

    @Mixin
    OverrideOptions set;

    @Mixin
    SparkOptions spark;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory of a new run, any Hadoop file system URI (default: runs/<experiment>-seed<seed>).")
    String out;

    @Option(names = "--overwrite", description = "Replace the run in --out DIR if it holds one (its files are removed first).")
    boolean overwrite;

    @Option(names = "--continue", description = "If --out DIR holds a run of this same config (an interrupted or retried job),"
            + " continue it from its newest valid checkpoint instead of refusing; waits up to 70 s for the lock of an"
            + " attempt that died to go stale.")
    boolean continueSame;

    @Option(names = "--skip-evaluation", description = "Do not meta-test after training.")
    boolean skipEvaluation;

    @Override
    public Integer call() {
        String resume = source.resume;
        if (resume != null && (out != null || overwrite || continueSame)) {
            throw new ConfigError("--resume RUN_DIR continues the run in RUN_DIR; drop --out, --overwrite and --continue");
        }
        if (overwrite && continueSame) {
            throw new ConfigError("--overwrite and --continue exclude each other: replace the run in --out, or continue it");
        }
        RunConfig fresh = resume == null ? RunConfig.load(source.config, set.overrides) : null;
        try (JavaSparkContext sc = spark.start("ml3 train")) {
            RunClaim claim;
            if (resume != null) {
                claim = RunClaim.resume(RunDirectory.openExisting(resume, sc.hadoopConfiguration()), set.overrides,
                        System.out);
            } else {
                String dir = out != null ? out : "runs/" + fresh.experiment().name() + "-seed" + fresh.seed();
                RunDirectory target = RunDirectory.open(dir, sc.hadoopConfiguration());
                claim = continueSame ? RunClaim.startOrContinue(target, fresh, System.out)
                        : RunClaim.fresh(target, fresh, overwrite, System.out);
            }
            try (claim) {
                TrainingRun.runThenMetaTest(sc, claim, !skipEvaluation, System.out);
            }
        }
        return 0;
    }
}
