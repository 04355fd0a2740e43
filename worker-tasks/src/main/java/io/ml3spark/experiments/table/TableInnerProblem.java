package io.ml3spark.experiments.table;

import io.ml3spark.ml3.Optimizee;
import io.ml3spark.ml3.SupervisedProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * The inner problem of drawn tasks of a table: a fresh optimizee per task takes its inner steps
 * on the learned loss over the task's support rows, and the task loss ({@code taskLoss}: the MSE,
 * or the NLL of a classifier) is taken on the task's query rows after them.
 */
public record TableInnerProblem(Optimizee optimizee, TableBatches batches, TaskLoss taskLoss) implements Serializable {
    /** The tasks' problem, each optimizee initialised from its seed in {@code initSeeds}. */
    public TaskGroup group(Backend backend, List<TableTask> tasks, long[] initSeeds) {
        if (initSeeds.length != tasks.size()) {
            throw new IllegalArgumentException("one initialisation seed per task: " + initSeeds.length + " for "
                    + tasks.size());
        }
        return TaskGroup.of(new SupervisedProblem(optimizee, batches.support(backend, tasks), optimizee,
                batches.query(backend, tasks), taskLoss, optimizee.initialize(backend, initSeeds)));
    }
}
