package io.ml3spark.experiments.sine;

import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

import static io.ml3spark.experiments.sine.SineRegression.TRAIN_DATA;
import static io.ml3spark.experiments.sine.SineRegression.TRAIN_INIT;

/**
 * The meta-train sine tasks: either a fixed set (task t's data from its own seed) or a fresh draw
 * each outer iteration; meta-train optimizees start Xavier-uniform with zero biases, as in the
 * reference code.
 */
record SineTasks(MetaObjective objective, SineTaskFamily family, int tasksPerIteration, boolean resample)
        implements TaskSampler {
    /** The fixed tasks the meta-test measures too; none when they are drawn afresh each iteration. */
    int fixedTasks() {
        return resample ? 0 : tasksPerIteration;
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        long[] dataSeeds = new long[taskIndices.length];
        long[] initSeeds = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            int t = taskIndices[i];
            dataSeeds[i] = resample ? Seeds.derive(runSeed, TRAIN_DATA, iteration, t)
                    : Seeds.derive(runSeed, TRAIN_DATA, t);
            initSeeds[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, t);
        }
        TaskBatch batch = family.sample(backend, dataSeeds);
        return TaskGroup.of(objective.problem(batch, objective.optimizee().initialize(backend, initSeeds)));
    }
}
