package io.ml3spark.experiments;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * One of the paper's experiments as the driver sees it: a learned loss, a task family
 * and how to meta-train and meta-test on it. Everything a Spark task computes is a pure
 * function of its arguments (seeds included), so a retried task gives the same numbers.
 */
public interface Experiment extends Serializable {
    /** The config name, e.g. {@code sine-regression}. */
    String name();

    LearnedLoss learnedLoss();

    double[] initialPhi(Backend backend, long runSeed);

    /** ML3 tasks per outer iteration (their meta-gradients are averaged). */
    int tasksPerIteration();

    /** Summed meta-gradient of the listed tasks of outer iteration {@code iteration}. */
    MetaGradient metaGradient(Backend backend, double[] phi, long runSeed, long iteration, int[] taskIndices);

    /**
     * Meta-updates (Adam steps on phi) per outer iteration: 1 unless the experiment updates
     * phi after every inner step (the shaped sine frequency).
     */
    default int updatesPerIteration() {
        return 1;
    }

    /**
     * Summed meta-gradient of update {@code phis.size() - 1} of outer iteration
     * {@code iteration}; {@code phis.get(u)} is the phi that update u of this iteration used,
     * the last one the current phi. What a task carries from one update to the next (its
     * optimizee's parameters) is replayed from these, never stored, so a Spark task stays a
     * pure function of its arguments.
     */
    default MetaGradient metaGradient(Backend backend, List<double[]> phis, long runSeed, long iteration,
                                      int[] taskIndices) {
        if (phis.size() != 1) {
            throw new IllegalArgumentException(name() + " has one meta-update per iteration, asked for update "
                    + (phis.size() - 1));
        }
        return metaGradient(backend, phis.get(0), runSeed, iteration, taskIndices);
    }

    /** Meta-test: train fresh optimizees with the learned loss and with the task loss, per step. */
    List<MetaTestResult> metaTest(Backend backend, double[] phi, long runSeed);

    /**
     * The meta-test with the experiment's own figures of it (a loss landscape, positions over
     * time), which the driver draws; an experiment with figures computes both from one meta-test.
     */
    default MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed) {
        return new MetaTestReport(metaTest(backend, phi, runSeed), List.of());
    }
}
