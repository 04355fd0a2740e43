package io.ml3spark.driver.run;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.format.NonFinite;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.util.LongAccumulator;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The meta-test of a learned loss against SGD on the task loss, written into a directory:
 * evaluation.json, a plot per task set, and the experiment's own figures. A non-finite
 * final loss or metric fails the meta-test, and then nothing is written.
 */
public final class MetaTestJob {
    /** Seconds between the progress lines of a long meta-test. */
    static final int PROGRESS_SECONDS = 10;

    private MetaTestJob() {
    }

    /**
     * Meta-tests the config's experiment, with what the loss's training run {@code home} fitted
     * (a dynamics model), on {@code spark}, into {@code dir}: each of the experiment's units (test
     * task x method) is one Spark task; the driver builds the results and figures from their
     * measurements.
     */
    public static List<MetaTestResult> run(JavaSparkContext spark, RunConfig cfg, LossUnderTest loss, RunDirectory dir) {
        Experiment experiment = cfg.experiment();
        if (experiment instanceof TableExperiment table) {
            RunTable read = RunTable.read(spark, table, System.out);
            read.table().release();
            experiment = read.experiment();
            String now = read.record().fingerprint();
            if (loss.tableFingerprint() != null && !loss.tableFingerprint().equals(now)) {
                System.out.printf("[evaluate] note: %s was meta-trained on a table of fingerprint %s; %s now has %s (the"
                        + " held-out tasks and the feature scaling are this table's)%n", loss.source(),
                        loss.tableFingerprint(), read.record().path(), now);
            }
        }
        return run(spark, cfg, experiment, loss, dir);
    }

    /** As above, with the config's experiment as the caller has it ready (a table experiment with its table read). */
    public static List<MetaTestResult> run(JavaSparkContext spark, RunConfig cfg, Experiment ready, LossUnderTest loss,
                                           RunDirectory dir) {
        Experiment experiment = ModelRefits.forMetaTest(ready, loss, System.out);
        double[] phi = loss.phi();
        String lossFile = loss.source();
        System.out.printf("[evaluate] meta-testing %s on %s%n", experiment.name(), lossFile);
        long t0 = System.nanoTime();
        MetaTestReport report = report(spark, experiment, cfg.backend(), phi, cfg.seed());
        List<MetaTestResult> results = report.results();
        for (MetaTestResult r : results) {
            int learned = NonFinite.count(r.finalLearned());
            int baseline = NonFinite.count(r.finalBaseline());
            if (learned + baseline > 0) {
                throw new NonFiniteResultError("meta-test of " + lossFile + ": the final " + r.metric() + " is not finite on "
                        + (learned > 0 ? learned + " of " + r.tasks() + " " + r.taskSet() + " tasks with the learned loss" : "")
                        + (learned > 0 && baseline > 0 ? " and on " : "")
                        + (baseline > 0 ? baseline + " of " + r.tasks() + " with the task loss" : "")
                        + "; no evaluation.json was written");
            }
        }
        dir.write(EvaluationReport.FILE, EvaluationReport.toJson(experiment.name(), cfg.seed(), lossFile, results));
        for (MetaTestResult r : results) {
            dir.write("meta-test-" + r.taskSet() + ".png", Plots.metaTest(experiment.name(), r));
            System.out.printf("[evaluate] %s tasks (%d), %s after %d steps: learned loss %.4f, task loss %.4f%n",
                    r.taskSet(), r.tasks(), r.metric(), r.steps(), mean(r.finalLearned()), mean(r.finalBaseline()));
        }
        for (Figure f : report.figures()) {
            dir.write(f.name() + ".png", Plots.figure(f));
            dir.write(f.name() + ".csv", f.csv());
        }
        System.out.printf("[evaluate] wrote %s/evaluation.json (%.1f s)%n", dir.uri(), (System.nanoTime() - t0) / 1e9);
        return results;
    }

    /** The experiment's meta-test report, each of its units (test task x method) computed as one Spark task. */
    public static MetaTestReport report(JavaSparkContext spark, Experiment experiment, String backend, double[] phi,
                                        long seed) {
        List<MetaTestUnit> units = experiment.metaTestUnits();
        System.out.printf("[evaluate] %d meta-test units (test task x method) as Spark tasks%n", units.size());
        long t0 = System.nanoTime();
        LongAccumulator done = spark.sc().longAccumulator("meta-test units done");
        ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ml3-meta-test-progress");
            t.setDaemon(true);
            return t;
        });
        progress.scheduleAtFixedRate(() -> System.out.printf("[evaluate] meta-test of %s: %d of %d units done, %.0f s so far%n",
                experiment.name(), done.value(), units.size(), (System.nanoTime() - t0) / 1e9), PROGRESS_SECONDS,
                PROGRESS_SECONDS, TimeUnit.SECONDS);
        Broadcast<Experiment> shipped = spark.broadcast(experiment);
        try {
            spark.setJobDescription("meta-test of " + experiment.name());
            List<MetaTestMeasurement> measured = spark.parallelize(units, units.size()).map(unit -> {
                MetaTestMeasurement m = shipped.value().measure(ExecutorDevice.forCurrentTask(backend), phi, seed, unit);
                done.add(1);
                return m;
            }).collect();
            return experiment.metaTestReport(ExecutorDevice.onDriver(backend), phi, seed,
                    new MetaTestMeasurements(measured));
        } finally {
            progress.shutdownNow();
            spark.setJobDescription(null);
            shipped.unpersist(false);
        }
    }

    static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }
}
