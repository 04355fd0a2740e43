package io.ml3spark.experiments.digits;

import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/** Held-out accuracy and NLL per SGD step of each task set, learned loss vs NLL. */
record DigitReport(DigitMetaTest metaTest) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<MetaTestResult> results = new ArrayList<>(results(measured, "test", metaTest.testTasks().size()));
        if (metaTest.measuresTrainTask()) {
            results.addAll(results(measured, "train", 1));
        }
        return new MetaTestReport(results, List.of());
    }

    private static List<MetaTestResult> results(MetaTestMeasurements measured, String set, int tasks) {
        return List.of(measured.result(set, tasks, set + "-accuracy", "accuracy", MetricDirection.HIGHER_IS_BETTER, null),
                measured.result(set, tasks, set + "-nll", "nll", MetricDirection.LOWER_IS_BETTER, null));
    }
}
