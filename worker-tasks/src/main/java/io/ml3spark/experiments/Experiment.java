package io.ml3spark.experiments;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the paper's experiments as the driver sees it: a learned loss, a task family
 * and how to meta-train and meta-test on it. Everything a Spark task computes is a pure
 * function of its arguments (seeds included), so a retried task gives the same numbers.
 * An experiment supplies the parts (learned loss, tasks, estimator); the meta-gradient is the
 * core's ({@link MetaGradients}).
 */
public interface Experiment extends Serializable {
    /** The config name, e.g. {@code sine-regression}. */
    String name();

    LearnedLoss learnedLoss();

    /** How phi starts (init, bias, the run seed's stream). */
    PhiInit phiInit();

    /** The run's phi_0, a function of its seed alone. */
    default double[] initialPhi(Backend backend, long runSeed) {
        return learnedLoss().initialPhi(backend, runSeed, phiInit());
    }

    /** ML3 tasks per outer iteration (their meta-gradients are averaged). */
    int tasksPerIteration();

    /** How the core estimates the meta-gradient of this experiment's tasks. */
    MetaGradientEstimator estimator();

    /**
     * The listed tasks of outer iteration {@code iteration}: their inner problem (data or
     * rollout, task loss, optimizee initialisation), sampled from seeds derived from
     * {@code runSeed}, so that the same arguments give the same tasks on any executor.
     */
    TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices);

    /**
     * The meta-test as independent units, each a (test task x method) pair, which the driver
     * runs as Spark tasks; {@link #measure} computes one, {@link #metaTestReport(Backend, double[], long, MetaTestMeasurements)}
     * builds the results and figures from all of them.
     */
    List<MetaTestUnit> metaTestUnits();

    /** One meta-test unit: a fresh optimizee trained with the learned loss (parameters phi) or the task loss. */
    MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit);

    /**
     * The meta-test's results, and the experiment's own figures of it (a loss landscape,
     * positions over time), from the measurements of every unit; the driver draws the figures.
     */
    MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured);

    /** The whole meta-test in this thread, unit after unit. */
    default MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed) {
        List<MetaTestMeasurement> measured = new ArrayList<>();
        for (MetaTestUnit unit : metaTestUnits()) {
            measured.add(measure(backend, phi, runSeed, unit));
        }
        return metaTestReport(backend, phi, runSeed, new MetaTestMeasurements(measured));
    }

    /** The results of {@link #metaTestReport(Backend, double[], long)}. */
    default List<MetaTestResult> metaTest(Backend backend, double[] phi, long runSeed) {
        return metaTestReport(backend, phi, runSeed).results();
    }
}
