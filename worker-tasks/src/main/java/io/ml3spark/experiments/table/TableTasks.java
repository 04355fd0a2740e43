package io.ml3spark.experiments.table;

import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The meta-train tasks of a table experiment: each outer iteration draws, by seed, up to
 * {@code tasksPerPartition} tasks from each partition ({@link PartitionDraw}); task index
 * {@code i} of a Spark task is the i-th task drawn from its partition. Each task's optimizee
 * starts from a seed of (run, iteration, task id), so no number depends on where it runs.
 */
public record TableTasks(TableInnerProblem problem, TableSetup setup, TablePartition partition) implements TaskSampler {
    static final long DRAW = 1;
    static final long INIT = 2;

    @Override
    public int tasksPerIteration() {
        return setup.tasksPerIteration();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        if (partition == null || problem == null) {
            throw new IllegalStateException("a table experiment's tasks are drawn on the executors, from the partition "
                    + "each holds, once the table is read");
        }
        List<TableTask> drawn = PartitionDraw.draw(partition, setup.tasksPerPartition(),
                Seeds.derive(runSeed, DRAW, iteration, partition.index()));
        List<TableTask> tasks = new java.util.ArrayList<>(taskIndices.length);
        long[] init = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            TableTask task = drawn.get(taskIndices[i]);
            tasks.add(task);
            init[i] = Seeds.derive(runSeed, INIT, iteration, StableHash.of(task.taskId(), 0));
        }
        return problem.group(backend, tasks, init);
    }
}
