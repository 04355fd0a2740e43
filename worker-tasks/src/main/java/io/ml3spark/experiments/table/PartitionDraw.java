package io.ml3spark.experiments.table;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * An outer iteration's tasks from one partition of a task table: {@code count} of its meta-train
 * tasks, drawn without replacement by a seed from the partition's fixed order, so the draw is a
 * function of the seed and the partition's content alone. It costs O(count), not O(partition).
 */
public final class PartitionDraw {
    private PartitionDraw() {
    }

    /** Up to {@code count} meta-train tasks of {@code partition}; all of them where it holds fewer. */
    public static List<TableTask> draw(TablePartition partition, int count, long seed) {
        List<TableTask> train = partition.metaTrain();
        int n = train.size();
        if (count >= n) {
            return train;
        }
        SplittableRandom rng = new SplittableRandom(seed);
        Set<Integer> chosen = new LinkedHashSet<>();
        while (chosen.size() < count) {
            chosen.add(rng.nextInt(n));
        }
        List<TableTask> drawn = new ArrayList<>(count);
        chosen.forEach(i -> drawn.add(train.get(i)));
        return drawn;
    }
}
