package io.ml3spark.experiments.table;

import io.ml3spark.experiments.Experiment;

import java.util.List;

/**
 * An experiment whose tasks are rows of a table that Spark reads once and keeps on the
 * executors, partitioned by task id. The driver reads the table as {@link #setup} says, then
 * completes the experiment with what only the table tells ({@link #withTable}); each Spark task
 * of an iteration meta-trains on the tasks of the partition it holds ({@link #onPartition}).
 */
public interface TableExperiment extends Experiment {
    TableSetup setup();

    /**
     * This experiment with the feature scaling of the table's meta-train tasks and the held-out
     * tasks its meta-test trains on (the first {@link TableSetup#metaTestTasks} in the order of
     * their ids' hashes).
     */
    TableExperiment withTable(FeatureScaling scaling, List<TableTask> metaTestTasks);

    /** The scaling {@link #withTable} gave, or null before. */
    FeatureScaling scaling();

    /** This experiment drawing its meta-train tasks from {@code partition}. */
    TableExperiment onPartition(TablePartition partition);
}
