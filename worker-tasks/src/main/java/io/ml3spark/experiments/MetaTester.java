package io.ml3spark.experiments;

import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * An experiment's meta-test as independent units, each a (test task x method) pair, which the
 * driver runs as Spark tasks.
 */
public interface MetaTester extends Serializable {
    List<MetaTestUnit> units();

    /** One unit: a fresh optimizee trained with the learned loss (parameters phi) or the task loss. */
    MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit);
}
