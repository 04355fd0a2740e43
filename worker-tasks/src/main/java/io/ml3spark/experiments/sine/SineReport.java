package io.ml3spark.experiments.sine;

import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/** The MSE curves of each task set, normalised by each task's target variance (NMSE). */
record SineReport(SineMetaTest metaTest) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<MetaTestResult> results = new ArrayList<>();
        results.add(result(measured, "test", metaTest.testTaskCount()));
        if (metaTest.trainTaskCount() > 0) {
            results.add(result(measured, "train", metaTest.trainTaskCount()));
        }
        return new MetaTestReport(results, List.of());
    }

    private static MetaTestResult result(MetaTestMeasurements measured, String taskSet, int tasks) {
        double[] variance = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            variance[t] = measured.series(taskSet, t, false, "target-variance")[0];
        }
        return measured.result(taskSet, tasks, taskSet, "mse", MetricDirection.LOWER_IS_BETTER, variance);
    }
}
