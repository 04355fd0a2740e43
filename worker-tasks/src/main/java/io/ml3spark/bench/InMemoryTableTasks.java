package io.ml3spark.bench;

import io.ml3spark.experiments.table.StableHash;
import io.ml3spark.experiments.table.TableInnerProblem;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TableTask;
import io.ml3spark.experiments.table.TaskFamily;
import io.ml3spark.experiments.table.TaskRows;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table experiment's tasks generated in memory instead of read from its table: each drawn task
 * of the family is generated from (family seed, task) where the Spark task
 * runs, then split and batched exactly as a table's task is. The anchor that the table data
 * path is measured against ({@code bench-table}).
 */
public record InMemoryTableTasks(TableInnerProblem problem, TableSplit split, TaskFamily family, long familySeed,
                                 int familyTasks, int tasksPerIteration) implements TaskSampler {
    private static final long DRAW = 11;
    private static final long INIT = 12;

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        List<TableTask> tasks = new ArrayList<>(taskIndices.length);
        long[] init = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            TableTask task = null;
            for (long attempt = 0; task == null; attempt++) {
                long drawn = Math.floorMod(Seeds.derive(runSeed, DRAW, iteration, taskIndices[i], attempt), familyTasks);
                String id = TaskFamily.taskId(drawn);
                if (!split.isMetaTest(id)) {
                    task = TableTask.of(TaskRows.of(id, Arrays.asList(family.rows(familySeed, drawn))), split);
                }
            }
            tasks.add(task);
            init[i] = Seeds.derive(runSeed, INIT, iteration, StableHash.of(task.taskId(), 0));
        }
        return problem.group(backend, tasks, init);
    }
}
