package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/** An experiment's task family as meta-training samples it: the tasks of each outer iteration. */
public interface TaskSampler extends Serializable {
    /** ML3 tasks per outer iteration (their meta-gradients are averaged). */
    int tasksPerIteration();

    /**
     * The listed tasks of outer iteration {@code iteration}: their inner problem (data or
     * rollout, task loss, optimizee initialisation), sampled from seeds derived from
     * {@code runSeed}, so that the same arguments give the same tasks on any executor.
     */
    TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices);
}
