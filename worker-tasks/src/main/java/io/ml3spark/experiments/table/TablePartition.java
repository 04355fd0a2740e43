package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * The tasks of one partition of a task table, as an executor keeps them: its meta-train and its
 * meta-test tasks, each list in the order of the tasks' id hashes. Spark may deliver a partition's
 * tasks in any order (a shuffle's fetch order, a recomputed partition); this order depends on
 * their ids alone, so whatever is drawn from it depends only on the seed and the content.
 */
public record TablePartition(int index, List<TableTask> metaTrain, List<TableTask> metaTest) implements Serializable {
    private static final long ORDER = 0x0de7;
    /** Tasks in the order of their ids' hashes, ties by id. */
    public static final Comparator<TableTask> ID_ORDER = Comparator.<TableTask>comparingLong(
            t -> StableHash.of(t.taskId(), ORDER)).thenComparing(TableTask::taskId);

    public TablePartition {
        metaTrain = List.copyOf(metaTrain);
        metaTest = List.copyOf(metaTest);
    }

    /** Partition {@code index} of {@code tasks}, split by {@code split}. */
    public static TablePartition of(int index, Iterator<TaskRows> tasks, TableSplit split) {
        List<TableTask> train = new ArrayList<>();
        List<TableTask> test = new ArrayList<>();
        tasks.forEachRemaining(t -> (isMetaTest(t, split) ? test : train).add(TableTask.of(t, split)));
        train.sort(ID_ORDER);
        test.sort(ID_ORDER);
        return new TablePartition(index, train, test);
    }

    /** Whether {@code task} is held out: as its table's split column says, else by the hash of its id. */
    private static boolean isMetaTest(TaskRows task, TableSplit split) {
        return task.heldOut() != null ? task.heldOut() : split.isMetaTest(task.taskId());
    }
}
