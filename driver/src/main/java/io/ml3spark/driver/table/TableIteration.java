package io.ml3spark.driver.table;

import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.experiments.table.PartitionDraw;
import io.ml3spark.experiments.table.StableHash;
import io.ml3spark.experiments.table.TableRegression;
import io.ml3spark.experiments.table.TableSplit;
import io.ml3spark.experiments.table.TaskRows;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.tensor.Backend;
import org.apache.spark.api.java.JavaRDD;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * One outer iteration's meta-gradient on a persisted task table: one Spark task per partition,
 * each drawing its tasks from the rows it already holds ({@link PartitionDraw}, seeded by run,
 * iteration and partition) and computing their summed meta-gradient, so an iteration neither
 * re-reads the table nor shuffles it. Each task's MLP starts from a seed of (run, iteration,
 * task id), so the numbers depend on neither the executor nor the order rows arrive in.
 */
public record TableIteration(TableRegression regression, TableSplit split, LearnedLoss loss,
                             MetaGradientEstimator estimator, int tasksPerPartition, String backend)
        implements Serializable {
    private static final long DRAW = 1;
    private static final long INIT = 2;

    /** The summed meta-gradient at {@code phi} of iteration {@code iteration}'s draws from every partition. */
    public MetaGradient metaGradient(JavaRDD<TaskRows> tasks, double[] phi, long runSeed, long iteration) {
        TableIteration step = this;
        return tasks.mapPartitionsWithIndex((partition, rows) -> List.of(
                step.partitionGradient(ExecutorDevice.forCurrentTask(step.backend), rows, phi, runSeed, iteration,
                        partition)).iterator(), true)
                .reduce(MetaGradient::plus);
    }

    /** What the Spark task of {@code partition} computes; exposed so that a test can compute it in one JVM. */
    public MetaGradient partitionGradient(Backend backend, Iterator<TaskRows> rows, double[] phi, long runSeed,
                                         long iteration, int partition) {
        List<TaskRows> local = new ArrayList<>();
        rows.forEachRemaining(local::add);
        List<TaskRows> drawn = PartitionDraw.draw(local, split, tasksPerPartition,
                Seeds.derive(runSeed, DRAW, iteration, partition));
        if (drawn.isEmpty()) {
            return MetaGradient.zero(phi.length);
        }
        long[] init = new long[drawn.size()];
        for (int t = 0; t < init.length; t++) {
            init[t] = Seeds.derive(runSeed, INIT, iteration, StableHash.of(drawn.get(t).taskId(), 0));
        }
        return estimator.estimate(backend, loss, List.of(phi), regression.group(backend, drawn, init));
    }
}
