package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.LearnedLossFile;
import io.ml3spark.driver.run.MetricsLog;
import io.ml3spark.driver.run.Plots;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.experiments.Experiment;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

/** {@code train}: meta-trains a learned loss on Spark, then meta-tests it. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Meta-train a learned loss on Spark and write the run directory; then meta-test it.")
public final class TrainCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Mixin
    SparkOptions spark;

    @Option(names = "--out", paramLabel = "DIR", description = "Run directory, any Hadoop file system URI (default: runs/<experiment>-seed<seed>).")
    String out;

    @Option(names = "--skip-evaluation", description = "Do not meta-test after training.")
    boolean skipEvaluation;

    @Override
    public Integer call() {
        RunConfig cfg = config.load();
        Experiment experiment = cfg.experiment();
        String outDir = out != null ? out : "runs/" + experiment.name() + "-seed" + cfg.seed();
        try (JavaSparkContext sc = spark.start("ml3 train " + experiment.name())) {
            RunDirectory dir = RunDirectory.open(outDir, sc.hadoopConfiguration());
            dir.write("config.conf", cfg.render());
            System.out.printf("[train] %s, seed %d, %d iterations x %d tasks, backend %s, Spark %s -> %s%n",
                    experiment.name(), cfg.seed(), cfg.metaTrain().iterations(), experiment.tasksPerIteration(),
                    cfg.backend(), sc.master(), dir.uri());
            double[] phi0 = experiment.initialPhi(ExecutorDevice.onDriver(cfg.backend()), cfg.seed());
            MetricsLog metrics = new MetricsLog(dir, cfg.metaTrain().iterations(), cfg.metaTrain().logEvery(), System.out);
            double[] phi = new MetaTrainer(sc, experiment, cfg.backend(), cfg.seed(), cfg.metaTrain())
                    .train(phi0, metrics);
            metrics.flush();
            dir.write(EvaluateCommand.LOSS_FILE, LearnedLossFile.encode(new LearnedLossFile.Contents(
                    experiment.learnedLoss(), phi, experiment.name(), cfg.seed(), cfg.metaTrain().iterations())));
            dir.write("meta-train.png", Plots.metaTraining(experiment.name(), metrics.rows()));
            System.out.printf("[train] wrote %s/%s%n", dir.uri(), EvaluateCommand.LOSS_FILE);
            if (!skipEvaluation) {
                EvaluateCommand.evaluate(experiment, cfg, phi, dir, dir.uri() + "/" + EvaluateCommand.LOSS_FILE);
            }
        }
        return 0;
    }
}
