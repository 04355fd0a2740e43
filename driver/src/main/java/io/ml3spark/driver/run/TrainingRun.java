package io.ml3spark.driver.run;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.driver.train.ExperimentRefresh;
import io.ml3spark.driver.train.IterationListener;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.driver.train.TrainingState;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.NonFinite;
import io.ml3spark.format.Safetensors;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * One meta-training run into a claimed run directory: fresh, or resumed from the newest
 * valid checkpoint; writes metrics, checkpoints, the learned loss and the training plot. A
 * new run that fails before its first iteration completes leaves nothing behind.
 */
public final class TrainingRun {
    public static final String LOSS_FILE = "learned-loss.safetensors";

    private TrainingRun() {
    }

    /** The pipeline of {@code train} and of each sweep point: meta-train, then (unless skipped) meta-test the written loss. */
    public static void runThenMetaTest(JavaSparkContext sc, RunClaim claim, boolean metaTest, PrintStream out) {
        Trained trained = run(sc, claim, out);
        if (metaTest) {
            MetaTestJob.run(sc, claim.config(), trained.experiment(), new LossUnderTest(claim.directory().uri() + "/"
                    + LOSS_FILE, trained.phi(), claim.directory(), LossUnderTest.FINAL, claim.record().runId()),
                    claim.directory());
        }
    }

    /** The phi written as the learned loss, and the experiment it was trained on (a table experiment with its table read). */
    public record Trained(double[] phi, Experiment experiment) {
    }

    /** Runs it and returns the phi written as the learned loss: the last, or the best with {@code keep = best}. */
    public static Trained run(JavaSparkContext sc, RunClaim claim, PrintStream out) {
        boolean[] started = {claim.resumed()};
        RunTable table = null;
        try {
            Experiment experiment = claim.config().experiment();
            if (experiment instanceof TableExperiment t) {
                table = RunTable.read(sc, t, claim, out);
                experiment = table.experiment();
            }
            return new Trained(train(sc, claim, experiment, table, () -> started[0] = true, out), experiment);
        } catch (RuntimeException e) {
            if (!started[0]) {
                claim.abandon();
            }
            throw e;
        } finally {
            if (table != null) {
                table.table().release();
            }
        }
    }

    private static double[] train(JavaSparkContext sc, RunClaim claim, Experiment experiment, RunTable table,
                                  Runnable firstIterationDone, PrintStream out) {
        RunConfig cfg = claim.config();
        RunDirectory dir = claim.directory();
        Checkpoints checkpoints = new Checkpoints(dir, cfg.metaTrain().keepCheckpoints(), claim.record(),
                cfg.experiment().learnedLoss().layout());
        int total = cfg.metaTrain().iterations();
        TrainingState start;
        MetricsLog metrics;
        if (claim.resumed()) {
            List<double[]> rows = MetricsLog.readRows(dir);
            CheckpointCheck check = new CheckpointCheck(claim.record(), experiment.learnedLoss().layout().size(), rows,
                    experiment.estimator().updatesPerIteration());
            start = checkpoints.latestValid(check, out).orElse(null);
            if (start == null) {
                out.printf("[train] no valid checkpoint in %s; starting from iteration 0%n", dir.uri());
                start = MetaTrainer.initial(initialPhi(cfg, sc, out));
            } else {
                out.printf("[train] resuming %s after iteration %d%n", dir.uri(), start.iteration());
            }
            metrics = MetricsLog.resume(dir, rows, start.iteration(), total, cfg.metaTrain().logEvery(), out);
        } else {
            start = MetaTrainer.initial(initialPhi(cfg, sc, out));
            metrics = MetricsLog.fresh(dir, total, cfg.metaTrain().logEvery(), out);
        }
        out.printf("[train] %s, seed %d, %d iterations x %d tasks, backend %s, Spark %s -> %s%n", experiment.name(),
                cfg.seed(), total, experiment.tasksPerIteration(), cfg.backend(), sc.master(), dir.uri());
        IterationListener listener = (iteration, g, applied, seconds) -> {
            metrics.iterationDone(iteration, g, applied, seconds);
            firstIterationDone.run();
        };
        ExperimentRefresh refresh = null;
        Experiment trained = experiment;
        if (experiment instanceof ModelBasedExperiment modelBased) {
            ModelRefits refits = new ModelRefits(sc, dir, claim.record().runId(), cfg.seed(), cfg.backend(), modelBased, out);
            if (start.iteration() % refits.every() != 0) {
                trained = refits.resumed(start.iteration(), modelBased);
            }
            refresh = refits;
        }
        TrainingState end = new MetaTrainer(sc, trained, cfg.backend(), cfg.seed(), cfg.metaTrain(), refresh,
                table == null ? null : table.placement())
                .train(start, listener, state -> {
                    metrics.flush();
                    checkpoints.save(state);
                });
        metrics.flush();
        double[] kept = end.phi();
        int keptIteration = end.iteration();
        if (end.best() != null) {
            kept = end.best().phi();
            keptIteration = end.best().iteration();
            out.printf("[train] keeping the phi that metrics.csv row %d evaluated (phi after %d iterations): its mean "
                    + "task loss %.6g was the lowest%n", keptIteration + 1, keptIteration, end.best().taskLoss());
        }
        List<double[]> rows = metrics.rows();
        if (end.best() == null && !rows.isEmpty() && rows.get(rows.size() - 1)[2] == 0) {
            throw new NonFiniteResultError("meta-training diverged: no task of the last iteration (" + end.iteration()
                    + ") had a finite meta-gradient, see metrics.csv; no learned loss was written"
                    + " (try a lower meta-train.adam.learning-rate)");
        }
        int nonFinite = NonFinite.count(kept);
        if (nonFinite > 0) {
            throw new NonFiniteResultError("meta-training diverged: " + nonFinite + " of the " + kept.length
                    + " values of phi after iteration " + keptIteration + " are not finite; no learned loss was written"
                    + " (try a lower meta-train.adam.learning-rate)");
        }
        dir.write(LOSS_FILE, LearnedLossFile.encode(new LearnedLossFile.Contents(experiment.learnedLoss(), kept,
                experiment.name(), cfg.seed(), keptIteration, claim.record().runId(),
                table == null ? Map.of() : table.record().asLossMetadata())));
        dir.write("meta-train.png", Plots.metaTraining(experiment.name(), metrics.rows()));
        out.printf("[train] wrote %s/%s%n", dir.uri(), LOSS_FILE);
        peakResidentMegabytes().ifPresent(mb -> out.printf(
                "[train] peak memory of this JVM: %d MB resident (heap limit %d MB)%n", mb,
                Runtime.getRuntime().maxMemory() >> 20));
        return kept;
    }

    /** The experiment's initial phi, or the phi of the {@code init-from} learned-loss file. */
    private static double[] initialPhi(RunConfig cfg, JavaSparkContext sc, PrintStream out) {
        Experiment experiment = cfg.experiment();
        String file = cfg.metaTrain().initFrom();
        if (file.isEmpty()) {
            return experiment.initialPhi(ExecutorDevice.onDriver(cfg.backend()), cfg.seed());
        }
        LearnedLossFile.Contents contents;
        try {
            contents = LearnedLossFile.decode(RunDirectory.read(file, sc.hadoopConfiguration()), file);
        } catch (RunDirectoryError | Safetensors.CorruptFileException e) {
            throw new ConfigError("meta-train.init-from: " + e.getMessage());
        }
        if (!contents.fits(experiment.learnedLoss())) {
            throw new ConfigError("meta-train.init-from: the learned loss in " + file + " is " + contents.loss().network()
                    + " on " + contents.loss().input() + ", but the config's is " + experiment.learnedLoss().network()
                    + " on " + experiment.learnedLoss().input());
        }
        out.printf("[train] phi starts from %s (%s, seed %d, %d iterations)%n", file, contents.experiment(),
                contents.seed(), contents.iterations());
        return contents.phi();
    }

    /** The process's peak resident set (Linux: VmHWM in /proc/self/status); empty elsewhere. */
    static OptionalLong peakResidentMegabytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return OptionalLong.of(Long.parseLong(line.replaceAll("[^0-9]", "")) >> 10);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or no procfs: nothing to report
        }
        return OptionalLong.empty();
    }
}
