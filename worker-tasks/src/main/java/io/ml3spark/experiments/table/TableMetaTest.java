package io.ml3spark.experiments.table;

import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTest;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;
import java.util.Map;

/**
 * The meta-test of a table experiment on held-out tasks (never drawn in meta-training): a fresh
 * optimizee per task takes {@code steps} SGD steps on the learned loss, or on the MSE, over the
 * task's support rows, and is scored by the MSE on its query rows after each step.
 */
public record TableMetaTest(LearnedLoss learnedLoss, MlpOptimizee optimizee, TableBatches batches,
                            List<TableTask> tasks, int steps, double learningRate) implements MetaTester {
    static final String TASK_SET = "held-out";
    private static final long INIT = 3;

    public TableMetaTest {
        tasks = List.copyOf(tasks);
    }

    @Override
    public List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods(TASK_SET, tasks.size());
    }

    /** The unit's query MSE after each step, and the variance of its query targets (for NMSE). */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        TableTask task = tasks.get(unit.task());
        TaskBatch support = batches.support(backend, List.of(task));
        TaskBatch query = batches.query(backend, List.of(task));
        TrainingObjective objective = unit.learnedLoss() ? learnedLoss.withConstants(backend, phi)
                : TaskLoss.MSE.asObjective();
        double[][] mse = MetaTest.curves(objective, optimizee, TaskLoss.MSE, optimizee.initialize(backend,
                new long[] {Seeds.derive(runSeed, INIT, StableHash.of(task.taskId(), 0))}), support, query, steps,
                learningRate);
        return new MetaTestMeasurement(unit, Map.of("mse", mse[0], "target-variance",
                new double[] {variance(query.targets().toArray())}));
    }

    private static double variance(double[] y) {
        double mean = 0;
        for (double v : y) {
            mean += v / y.length;
        }
        double var = 0;
        for (double v : y) {
            var += (v - mean) * (v - mean) / y.length;
        }
        return var;
    }
}
