package io.ml3spark.experiments.table;

import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.SupervisedProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * The inner problem of drawn regression tasks of a table: a fresh MLP per task takes its inner
 * steps on the learned loss over the task's support rows, and the task loss is the MSE of the
 * updated MLP on the task's query rows.
 */
public record TableRegression(MlpOptimizee optimizee, TableBatches batches) implements Serializable {
    /** The tasks' problem, each MLP initialised from its seed in {@code initSeeds}. */
    public TaskGroup group(Backend backend, List<TableTask> tasks, long[] initSeeds) {
        if (initSeeds.length != tasks.size()) {
            throw new IllegalArgumentException("one initialisation seed per task: " + initSeeds.length + " for "
                    + tasks.size());
        }
        return TaskGroup.of(new SupervisedProblem(optimizee, batches.support(backend, tasks), optimizee,
                batches.query(backend, tasks), TaskLoss.MSE, optimizee.initialize(backend, initSeeds)));
    }
}
