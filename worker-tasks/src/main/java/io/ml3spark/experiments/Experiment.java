package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaLearningProblem;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One of the paper's experiments as the driver sees it: what is meta-trained on which tasks (a
 * {@link MetaLearningProblem}), and how it is meta-tested, in parts: a {@link TaskSampler}, a
 * {@link MetaTester} and a {@link MetaTestReporter}. Everything a Spark task computes is a pure
 * function of its arguments (seeds included), so a retried task gives the same numbers. The
 * meta-gradient is the core's ({@link io.ml3spark.ml3.MetaGradients}).
 */
public interface Experiment extends MetaLearningProblem, Serializable {
    /** The config name, e.g. {@code sine-regression}. */
    String name();

    MetaTester metaTester();

    MetaTestReporter reporter();

    /** The meta-test's units ({@link MetaTester#units}). */
    default List<MetaTestUnit> metaTestUnits() {
        return metaTester().units();
    }

    /** One meta-test unit ({@link MetaTester#measure}). */
    default MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        return metaTester().measure(backend, phi, runSeed, unit);
    }

    /** The meta-test's results and figures from every unit's measurement ({@link MetaTestReporter#report}). */
    default MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        return reporter().report(backend, phi, runSeed, measured);
    }

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
