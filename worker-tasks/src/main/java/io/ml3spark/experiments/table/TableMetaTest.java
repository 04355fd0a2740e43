package io.ml3spark.experiments.table;

import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTest;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;
import java.util.Map;

/**
 * The meta-test of a table experiment on held-out tasks (never drawn in meta-training): a fresh
 * optimizee per task takes {@code steps} SGD steps on the learned loss, or on the task's own loss,
 * over the task's support rows, and is scored on its query rows after each step (the MSE, or the
 * accuracy of a classification).
 */
public record TableMetaTest(TableTaskKind kind, LearnedLoss learnedLoss, Optimizee optimizee, TableBatches batches,
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

    /** The unit's query metric after each step, and for a regression the variance of its query targets (for NMSE). */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        TableTask task = tasks.get(unit.task());
        TaskBatch support = batches.support(backend, List.of(task));
        TaskBatch query = batches.query(backend, List.of(task));
        TrainingObjective objective = unit.learnedLoss() ? learnedLoss.withConstants(backend, phi)
                : kind.taskLoss().asObjective();
        double[][] curve = MetaTest.curves(objective, optimizee, kind.score(), optimizee.initialize(backend,
                new long[] {Seeds.derive(runSeed, INIT, StableHash.of(task.taskId(), 0))}), support, query, steps,
                learningRate);
        if (kind != TableTaskKind.REGRESSION) {
            return new MetaTestMeasurement(unit, Map.of(kind.metric(), curve[0]));
        }
        return new MetaTestMeasurement(unit, Map.of(kind.metric(), curve[0], "target-variance", query.targetVariances()));
    }
}
