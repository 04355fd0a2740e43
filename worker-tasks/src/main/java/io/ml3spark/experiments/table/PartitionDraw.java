package io.ml3spark.experiments.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An outer iteration's tasks from one partition of a task table: {@code count} of its meta-train
 * tasks, drawn without replacement by a seed. The partition's tasks are first put in the order of
 * their ids' hashes, as Spark may deliver them in any order (a shuffle's fetch order, a recomputed
 * partition), so the draw is a function of the seed and the partition's content alone.
 */
public final class PartitionDraw {
    private static final long ORDER = 0x0de7;

    private PartitionDraw() {
    }

    /** Up to {@code count} meta-train tasks of {@code partition}; all of them where it holds fewer. */
    public static List<TaskRows> draw(List<TaskRows> partition, TableSplit split, int count, long seed) {
        List<TaskRows> train = new ArrayList<>(partition.stream().filter(t -> !split.isMetaTest(t.taskId())).toList());
        train.sort(Comparator.<TaskRows>comparingLong(t -> StableHash.of(t.taskId(), ORDER))
                .thenComparing(TaskRows::taskId));
        SplittableRandom rng = new SplittableRandom(seed);
        int k = Math.min(count, train.size());
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(train.size() - i);
            TaskRows chosen = train.get(j);
            train.set(j, train.get(i));
            train.set(i, chosen);
        }
        return List.copyOf(train.subList(0, k));
    }
}
