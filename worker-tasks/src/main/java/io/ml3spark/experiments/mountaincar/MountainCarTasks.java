package io.ml3spark.experiments.mountaincar;

import io.ml3spark.control.FixedPoint;
import io.ml3spark.ml3.EvolutionStrategy;
import io.ml3spark.ml3.EvolutionStrategyEstimator;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

/**
 * The start state and goal are fixed; tasks differ by their initial policy only. Backpropagation
 * trains on the iteration's policies; the evolution strategy and the fixed-point objective on the
 * run's one initial policy, each task index of the evolution strategy being one antithetic pair
 * of noise on it.
 */
record MountainCarTasks(MountainCarControl control, MountainCarTraining training, MetaGradientEstimator estimator)
        implements TaskSampler {
    private static final long ES_NOISE = 3;

    @Override
    public int tasksPerIteration() {
        EvolutionStrategy es = training.evolutionStrategy();
        return es == null ? training.policies() : es.pairs();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        if (estimator instanceof EvolutionStrategyEstimator) {
            return new TaskGroup(control.problem(control.initialPolicy(backend, runSeed, 0)),
                    MountainCarControl.seeds(taskIndices, pair -> Seeds.derive(runSeed, ES_NOISE, iteration, pair)));
        }
        if (estimator instanceof FixedPoint) {
            return TaskGroup.of(control.problem(control.initialPolicy(backend, runSeed, 0)));
        }
        return TaskGroup.of(control.problem(training.resample()
                ? control.resampledPolicy(backend, runSeed, iteration, taskIndices)
                : control.initialPolicy(backend, runSeed, taskIndices)));
    }
}
