package io.ml3spark.experiments.table;

import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** The held-out tasks' query MSE curves, learned loss against the MSE, normalised by each task's query variance (NMSE). */
public record TableReport(int tasks) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        double[] variance = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            variance[t] = measured.series(TableMetaTest.TASK_SET, t, false, "target-variance")[0];
        }
        return new MetaTestReport(List.of(measured.result(TableMetaTest.TASK_SET, tasks, TableMetaTest.TASK_SET, "mse",
                MetricDirection.LOWER_IS_BETTER, variance)), List.of());
    }
}
