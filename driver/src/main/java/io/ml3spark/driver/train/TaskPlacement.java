package io.ml3spark.driver.train;

import io.ml3spark.experiments.table.TablePartition;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Where the Spark tasks of an iteration find their ML3 tasks: the task indices of each Spark
 * task, and an RDD with one partition per Spark task holding its {@link SparkTaskGroup}.
 */
public interface TaskPlacement {
    /** The ML3 task indices of each Spark task of an iteration. */
    List<int[]> groups();

    /** One partition per group, in the order of {@link #groups}. */
    JavaRDD<SparkTaskGroup> rdd(JavaSparkContext spark);

    /** A generated family's tasks 0..tasks-1 in consecutive groups of at most {@code perGroup}, sent to any executor. */
    static TaskPlacement generated(int tasks, int perGroup) {
        return generated(MetaTrainer.taskGroups(tasks, perGroup));
    }

    /** A generated family's tasks in the given groups, sent to any executor. */
    static TaskPlacement generated(List<int[]> groups) {
        return new TaskPlacement() {
            @Override
            public List<int[]> groups() {
                return groups;
            }

            @Override
            public JavaRDD<SparkTaskGroup> rdd(JavaSparkContext spark) {
                return spark.parallelize(groups.stream().map(SparkTaskGroup::generated).toList(), groups.size());
            }
        };
    }

    /**
     * A table's tasks where the executors keep them: one Spark task per partition of
     * {@code partitions}, drawing up to {@code perPartition} of the partition's meta-train tasks
     * ({@code metaTrainTasks} per partition index). No iteration re-reads or shuffles the table.
     */
    static TaskPlacement table(JavaRDD<TablePartition> partitions, int[] metaTrainTasks, int perPartition) {
        List<int[]> groups = new ArrayList<>();
        for (int count : metaTrainTasks) {
            groups.add(IntStream.range(0, Math.min(count, perPartition)).toArray());
        }
        return new TaskPlacement() {
            @Override
            public List<int[]> groups() {
                return groups;
            }

            @Override
            public JavaRDD<SparkTaskGroup> rdd(JavaSparkContext spark) {
                List<int[]> byPartition = groups;
                return partitions.map(p -> new SparkTaskGroup(byPartition.get(p.index()), p));
            }
        };
    }
}
