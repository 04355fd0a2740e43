package io.ml3spark.experiments.table;

import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The held-out tasks' query metric per step, learned loss against the task's own loss: a
 * regression's MSE normalised by each task's query variance (NMSE), a classification's accuracy.
 */
public record TableReport(TableTaskKind kind, int tasks) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        double[] variance = null;
        if (kind == TableTaskKind.REGRESSION) {
            variance = new double[tasks];
            for (int t = 0; t < tasks; t++) {
                variance[t] = measured.series(TableMetaTest.TASK_SET, t, false, "target-variance")[0];
            }
        }
        return new MetaTestReport(List.of(measured.result(TableMetaTest.TASK_SET, tasks, TableMetaTest.TASK_SET,
                kind.metric(), kind.direction(), variance)), List.of());
    }
}
