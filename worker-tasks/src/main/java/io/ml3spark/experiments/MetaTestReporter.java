package io.ml3spark.experiments;

import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/**
 * The meta-test's results, and the experiment's own figures of it (a loss landscape, positions
 * over time), from the measurements of every unit; the driver draws the figures.
 */
public interface MetaTestReporter extends Serializable {
    MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured);
}
