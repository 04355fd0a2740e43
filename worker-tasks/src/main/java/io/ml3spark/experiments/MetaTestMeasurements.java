package io.ml3spark.experiments;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The measurements of a whole meta-test, by unit, from which an experiment builds its results and figures. */
public final class MetaTestMeasurements {
    private final Map<MetaTestUnit, MetaTestMeasurement> byUnit = new HashMap<>();

    public MetaTestMeasurements(List<MetaTestMeasurement> measurements) {
        for (MetaTestMeasurement m : measurements) {
            if (byUnit.put(m.unit(), m) != null) {
                throw new IllegalArgumentException("two measurements of " + m.unit());
            }
        }
    }

    /** Series {@code name} of one unit. */
    public double[] series(String taskSet, int task, boolean learnedLoss, String name) {
        MetaTestMeasurement m = byUnit.get(new MetaTestUnit(taskSet, task, learnedLoss));
        if (m == null) {
            throw new IllegalArgumentException("no measurement of " + new MetaTestUnit(taskSet, task, learnedLoss));
        }
        return m.get(name);
    }

    /** Series {@code name} of tasks {@code 0..tasks-1} of a task set, one row per task. */
    public double[][] rows(String taskSet, int tasks, boolean learnedLoss, String name) {
        double[][] rows = new double[tasks][];
        for (int t = 0; t < tasks; t++) {
            rows[t] = series(taskSet, t, learnedLoss, name);
        }
        return rows;
    }

    /** The result of metric {@code series} on a task set, learned loss against the baseline. */
    public MetaTestResult result(String taskSet, int tasks, String resultName, String series, MetricDirection direction,
                                 double[] normalizer) {
        return new MetaTestResult(resultName, series, direction, rows(taskSet, tasks, true, series), rows(taskSet, tasks, false, series),
                normalizer);
    }
}
