package io.ml3spark.driver.train;

import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.Backend;
import org.apache.spark.TaskContext;
import org.apache.spark.broadcast.Broadcast;
import scala.collection.Iterator;
import scala.runtime.AbstractFunction2;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What one Spark task of a meta-update computes: the summed meta-gradient of its group of ML3
 * tasks. A named class rather than a lambda, so that Spark's closure cleaner has nothing to
 * inspect on every job; the phis ride inside it when small ({@code inlinePhis}), else in a broadcast.
 */
final class GroupMetaGradient extends AbstractFunction2<TaskContext, Iterator<SparkTaskGroup>, MetaGradient>
        implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Broadcast<Experiment> experiment;
    private final String backend;
    private final int tasksPerBlock;
    private final long runSeed;
    private final long iteration;
    private final List<double[]> inlinePhis;
    private final Broadcast<List<double[]>> broadcastPhis;

    GroupMetaGradient(Broadcast<Experiment> experiment, String backend, int tasksPerBlock, long runSeed,
                      long iteration, List<double[]> inlinePhis, Broadcast<List<double[]>> broadcastPhis) {
        this.experiment = experiment;
        this.backend = backend;
        this.tasksPerBlock = tasksPerBlock;
        this.runSeed = runSeed;
        this.iteration = iteration;
        this.inlinePhis = inlinePhis;
        this.broadcastPhis = broadcastPhis;
    }

    @Override
    public MetaGradient apply(TaskContext context, Iterator<SparkTaskGroup> groups) {
        return compute(groups.next());
    }

    /** The summed meta-gradient of {@code group}'s ML3 tasks (none: zero, a table partition without meta-train tasks). */
    MetaGradient compute(SparkTaskGroup group) {
        return compute(group, ExecutorDevice.forCurrentTask(backend));
    }

    /** As {@link #compute(SparkTaskGroup)}, on {@code device}, which the caller resolved once for all its iterations. */
    MetaGradient compute(SparkTaskGroup group, Backend device) {
        List<double[]> phis = inlinePhis != null ? inlinePhis : broadcastPhis.value();
        if (group.taskIndices().length == 0) {
            return MetaGradient.zero(phis.get(phis.size() - 1).length);
        }
        try {
            return MetaGradients.finite(group.problem(experiment.value()), device, phis, runSeed, iteration,
                    group.taskIndices(), MetaTrainSettings.tasksPerBlock(tasksPerBlock, device));
        } catch (OutOfMemoryError e) {
            // Too large a task fails one allocation, and the heap is fine again once it is
            // dropped: a plain task failure, not the executor's death (exit 52) that Spark makes of it.
            throw new IllegalStateException("java.lang.OutOfMemoryError in the meta-gradient of tasks "
                    + Arrays.toString(group.taskIndices()) + ": " + e.getMessage());
        }
    }
}
