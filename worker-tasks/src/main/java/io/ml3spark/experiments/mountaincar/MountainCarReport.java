package io.ml3spark.experiments.mountaincar;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.ToDoubleFunction;

/** The meta-test's positions and gains, and the car's position over time (the paper's Fig. 5 right). */
record MountainCarReport(MountainCarMetaTest metaTest) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        MetaTestRollouts r = new MetaTestRollouts(metaTest.policies(measured, true), metaTest.policies(measured, false));
        return new MetaTestReport(results(r), figures(r));
    }

    private static List<MetaTestResult> results(MetaTestRollouts r) {
        return List.of(
                result("test", "end_position", MetricDirection.HIGHER_IS_BETTER, r, TestedPolicy::endPosition),
                result("test-lowest", "lowest_position", MetricDirection.NEITHER, r, TestedPolicy::lowestPosition),
                result("test-gain-position", "policy_gain_position", MetricDirection.NEITHER, r, p -> p.gain()[0]),
                result("test-gain-velocity", "policy_gain_velocity", MetricDirection.NEITHER, r, p -> p.gain()[1]));
    }

    private static MetaTestResult result(String taskSet, String metric, MetricDirection direction, MetaTestRollouts r,
                                         ToDoubleFunction<TestedPolicy> value) {
        return new MetaTestResult(taskSet, metric, direction, new double[][] {perStep(r.learned(), value)},
                new double[][] {perStep(r.baseline(), value)}, null);
    }

    private static double[] perStep(List<TestedPolicy> policies, ToDoubleFunction<TestedPolicy> value) {
        return policies.stream().mapToDouble(value).toArray();
    }

    private List<Figure> figures(MetaTestRollouts r) {
        int horizon = metaTest.control().horizon();
        int steps = metaTest.steps();
        GoalDistance taskLoss = metaTest.control().taskLoss();
        double[] time = new double[horizon + 1];
        for (int t = 0; t <= horizon; t++) {
            time[t] = t;
        }
        List<Figure.Series> series = new ArrayList<>();
        series.add(new Figure.Series("initial policy", time, r.learned().get(0).positions()));
        for (int s = 1; s <= steps; s++) {
            series.add(new Figure.Series("learned loss after " + s + " step" + (s > 1 ? "s" : ""), time,
                    r.learned().get(s).positions()));
        }
        series.add(new Figure.Series("task loss after " + steps + " steps", time,
                r.baseline().get(steps).positions()));
        series.add(new Figure.Series("goal", time, filled(horizon + 1, taskLoss.goal()[0])));
        if (taskLoss.intermediateSteps() > 0) {
            series.add(new Figure.Series("intermediate goal", time, filled(horizon + 1, taskLoss.intermediateGoal()[0])));
        }
        return List.of(new Figure("position-over-time", MountainCarExperiment.NAME + ": position over time at meta-test",
                "time step", "position", series));
    }

    private static double[] filled(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }
}
