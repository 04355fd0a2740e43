package io.ml3spark.driver.train;

import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.experiments.table.TablePartition;

import java.io.Serializable;

/**
 * What one Spark task of an iteration computes on: the indices of its ML3 tasks, and for a table
 * experiment the partition of the table it holds, whose tasks those indices draw.
 */
public record SparkTaskGroup(int[] taskIndices, TablePartition partition) implements Serializable {
    /** A group of a generated task family, sampled anywhere from seeds. */
    public static SparkTaskGroup generated(int[] taskIndices) {
        return new SparkTaskGroup(taskIndices, null);
    }

    /** The problem this group's tasks come from: {@code experiment}, on this group's partition where it has one. */
    public Experiment problem(Experiment experiment) {
        if (partition == null) {
            return experiment;
        }
        if (!(experiment instanceof TableExperiment table)) {
            throw new IllegalStateException(experiment.name() + " is no table experiment, but its Spark task holds "
                    + "a table partition");
        }
        return table.onPartition(partition);
    }
}
