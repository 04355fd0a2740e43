package io.ml3spark.driver.train;

import io.ml3spark.experiments.table.TablePartition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the Spark tasks of an iteration find their ML3 tasks: the task indices of each Spark
 * task ({@code groups}), generated from seeds on any executor, or drawn from the partitions of a
 * table ({@code table}, partition i holding group i's tasks) where the executors keep them.
 */
public record TaskPlacement(List<int[]> groups, JavaRDD<TablePartition> table) {
    public TaskPlacement {
        groups = List.copyOf(groups);
    }

    /** A generated family's tasks 0..tasks-1 in consecutive groups of at most {@code perGroup}. */
    public static TaskPlacement generated(int tasks, int perGroup) {
        return generated(MetaTrainer.taskGroups(tasks, perGroup));
    }

    /** A generated family's tasks in the given groups. */
    public static TaskPlacement generated(List<int[]> groups) {
        return new TaskPlacement(groups, null);
    }

    /**
     * A table's tasks: one Spark task per partition of {@code partitions}, drawing up to
     * {@code perPartition} of the partition's meta-train tasks ({@code metaTrainTasks} per
     * partition index). No iteration re-reads or shuffles the table.
     */
    public static TaskPlacement table(JavaRDD<TablePartition> partitions, int[] metaTrainTasks, int perPartition) {
        List<int[]> groups = new ArrayList<>();
        for (int count : metaTrainTasks) {
            groups.add(IntStream.range(0, Math.min(count, perPartition)).toArray());
        }
        return new TaskPlacement(groups, partitions);
    }

    /** One partition per group, in the order of {@link #groups}, each holding its {@link SparkTaskGroup}. */
    public JavaRDD<SparkTaskGroup> rdd(JavaSparkContext spark) {
        if (table == null) {
            return spark.parallelize(groups.stream().map(SparkTaskGroup::generated).toList(), groups.size());
        }
        List<int[]> byPartition = groups;
        return table.map(p -> new SparkTaskGroup(byPartition.get(p.index()), p));
    }
}
