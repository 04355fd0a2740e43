package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

/**
 * What the core meta-trains: a learned loss with how its phi starts and how its meta-gradient is
 * estimated ({@link MetaTraining}), on tasks drawn by a {@link TaskSampler}.
 * {@link MetaGradients} differentiates it; an experiment is one, with a meta-test besides.
 */
public interface MetaLearningProblem {
    MetaTraining metaTraining();

    TaskSampler sampler();

    default LearnedLoss learnedLoss() {
        return metaTraining().learnedLoss();
    }

    /** How phi starts (init, bias, the run seed's stream). */
    default PhiInit phiInit() {
        return metaTraining().phiInit();
    }

    /** How the core estimates the meta-gradient of this problem's tasks. */
    default MetaGradientEstimator estimator() {
        return metaTraining().estimator();
    }

    /** The run's phi_0, a function of its seed alone. */
    default double[] initialPhi(Backend backend, long runSeed) {
        return learnedLoss().initialPhi(backend, runSeed, phiInit());
    }

    /** ML3 tasks per outer iteration (their meta-gradients are averaged). */
    default int tasksPerIteration() {
        return sampler().tasksPerIteration();
    }

    /** The listed tasks of outer iteration {@code iteration} ({@link TaskSampler#tasks}). */
    default TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return sampler().tasks(backend, runSeed, iteration, taskIndices);
    }
}
