package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.LossUnderTest;
import io.ml3spark.driver.run.MetaTestJob;
import io.ml3spark.driver.run.OutputClaim;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.driver.run.RunLock;
import io.ml3spark.driver.run.RunRecord;
import io.ml3spark.driver.run.TrainingRun;
import io.ml3spark.experiments.Experiment;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code evaluate}: meta-test of a saved learned loss against SGD on the task loss. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Meta-test a learned loss: fresh optimizees on the test tasks, SGD with the learned loss vs SGD with the task loss.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--loss", required = true, paramLabel = "FILE", description = "A learned-loss file, e.g. runs/sine/" + TrainingRun.LOSS_FILE
            + ", or a checkpoint in a run's checkpoints/ (its phi after that iteration; needs --out).")
    String loss;

    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Option(names = "--out", paramLabel = "DIR", description = "Where evaluation.json and plots go (default: the loss file's directory).")
    String out;

    @Override
    public Integer call() {
        RunConfig cfg = config.load();
        Experiment experiment = cfg.experiment();
        try (JavaSparkContext sc = spark.start("ml3 evaluate " + experiment.name())) {
            LossUnderTest underTest = LossUnderTest.read(loss, sc.hadoopConfiguration(), experiment, config.config.toString());
            RunDirectory home = underTest.home();
            if (underTest.isCheckpoint() && out == null) {
                throw new ConfigError("evaluating checkpoint " + loss + " needs --out DIR: the run's own evaluation.json"
                        + " is its final learned loss's");
            }
            RunDirectory dir = out != null ? RunDirectory.open(out, sc.hadoopConfiguration()) : home;
            boolean intoHome = dir.uri().equals(home.uri());
            // A run's evaluation.json is its final learned loss's: only that loss is evaluated into a run directory.
            if ((underTest.isCheckpoint() || !intoHome) && dir.exists(RunRecord.FILE)) {
                throw new RunDirectoryError(dir.uri() + " holds " + (intoHome ? "the checkpoint's" : "another") + " run,"
                        + " whose evaluation.json this would replace; evaluate into "
                        + (underTest.isCheckpoint() ? "a new --out" : "the loss file's own run directory or a new --out"));
            }
            if (!intoHome) {
                // before the lock, so that a directory it does not own gets no file at all
                OutputClaim.claim(dir, "evaluate", entries -> false);
            }
            try (RunLock lock = RunLock.acquire(dir, "evaluate", System.out)) {
                if (!intoHome) {
                    if (dir.exists(EvaluationReport.FILE)) {
                        throw new RunDirectoryError(dir.uri() + " already holds an evaluation (" + EvaluationReport.FILE
                                + "), which this would replace; evaluate into a new --out");
                    }
                }
                MetaTestJob.run(sc, cfg, underTest, dir);
            }
        }
        return 0;
    }
}
