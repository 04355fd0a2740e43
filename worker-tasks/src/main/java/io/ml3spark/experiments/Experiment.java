package io.ml3spark.experiments;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.backend.Backend;

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

    /** Meta-test: train fresh optimizees with the learned loss and with the task loss, per step. */
    List<MetaTestResult> metaTest(Backend backend, double[] phi, long runSeed);

    /** Extra plots of the meta-test (position over time, say); none unless the experiment has some. */
    default List<Figure> figures(Backend backend, double[] phi, long runSeed) {
        return List.of();
    }
}
