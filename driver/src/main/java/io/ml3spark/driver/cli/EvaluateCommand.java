package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.EvaluationReport;
import io.ml3spark.driver.run.LearnedLossFile;
import io.ml3spark.driver.run.Plots;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.TrainingRun;
import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestResult;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code evaluate}: meta-test of a saved learned loss against SGD on the task loss. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
        description = "Meta-test a learned loss: fresh optimizees on the test tasks, SGD with the learned loss vs SGD with the task loss.")
public final class EvaluateCommand implements Callable<Integer> {
    @Option(names = "--loss", required = true, paramLabel = "FILE", description = "A learned-loss file, e.g. runs/sine/" + TrainingRun.LOSS_FILE + ".")
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
            LearnedLossFile.Contents contents = LearnedLossFile.decode(RunDirectory.read(loss, sc.hadoopConfiguration()), loss);
            if (!contents.fits(experiment.learnedLoss())) {
                throw new ConfigError("learned loss in " + loss + " is " + contents.loss().network() + " on "
                        + contents.loss().input() + ", but config " + config.config + " expects "
                        + experiment.learnedLoss().network() + " on " + experiment.learnedLoss().input());
            }
            RunDirectory dir = RunDirectory.open(out != null ? out : RunDirectory.parentOf(loss), sc.hadoopConfiguration());
            evaluate(experiment, cfg, contents.phi(), dir, loss);
        }
        return 0;
    }

    static List<MetaTestResult> evaluate(Experiment experiment, RunConfig cfg, double[] phi, RunDirectory dir,
                                         String lossFile) {
        System.out.printf("[evaluate] meta-testing %s on %s%n", experiment.name(), lossFile);
        List<MetaTestResult> results = experiment.metaTest(ExecutorDevice.onDriver(cfg.backend()), phi, cfg.seed());
        dir.write("evaluation.json", EvaluationReport.toJson(experiment.name(), cfg.seed(), lossFile, results));
        for (MetaTestResult r : results) {
            dir.write("meta-test-" + r.taskSet() + ".png", Plots.metaTest(experiment.name(), r));
            System.out.printf("[evaluate] %s tasks (%d), %s after %d steps: learned loss %.4f, task loss %.4f%n",
                    r.taskSet(), r.tasks(), r.metric(), r.steps(), mean(r.finalLearned()), mean(r.finalBaseline()));
        }
        for (Figure f : experiment.figures(ExecutorDevice.onDriver(cfg.backend()), phi, cfg.seed())) {
            dir.write(f.name() + ".png", Plots.figure(f));
            dir.write(f.name() + ".csv", f.csv());
        }
        System.out.printf("[evaluate] wrote %s/evaluation.json%n", dir.uri());
        return results;
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
