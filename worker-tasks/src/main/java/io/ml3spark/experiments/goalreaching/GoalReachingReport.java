package io.ml3spark.experiments.goalreaching;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The goal-reaching meta-test's results and figures: the effector's final distance to each
 * test target and the task loss on the real simulator after 0..steps SGD steps, the targets in
 * the plane (paper Fig. 6a), and the effector's paths before and after training.
 */
final class GoalReachingReport {
    static final String TEST = "test";
    static final String DISTANCE = "final_distance";
    static final String TASK_LOSS = "task_loss";
    /** The final positions' distance to the goal (the reacher's joint angles, rad), where goals are not the effector's point. */
    static final String GOAL_DISTANCE = "goal_distance";
    static final String PATHS = "paths";
    /** Test targets whose paths are drawn. */
    static final int PATHS_DRAWN = 3;

    private GoalReachingReport() {
    }

    /** Model-based RL's: distance and task loss, learned loss against the task loss. */
    static MetaTestReport of(String env, boolean goalsInJointSpace, int horizon, int steps, List<double[]> trainTargets, List<double[]> testTargets,
                             MetaTestMeasurements measured) {
        int tasks = testTargets.size();
        List<MetaTestResult> results = new java.util.ArrayList<>(List.of(
                measured.result(TEST, tasks, TEST, DISTANCE, MetricDirection.LOWER_IS_BETTER, null),
                measured.result(TEST, tasks, TEST + "-task-loss", TASK_LOSS, MetricDirection.LOWER_IS_BETTER, null)));
        goalDistance(measured, tasks, goalsInJointSpace).ifPresent(results::add);
        List<Figure> figures = List.of(targets(env, "meta-train targets", trainTargets, testTargets),
                paths(env, horizon, steps, testTargets, measured, "task loss after " + steps + " steps"));
        return new MetaTestReport(results, figures);
    }

    /** Expert demonstrations': distance, the learned loss against behavioural cloning on the training targets' demonstrations. */
    static MetaTestReport ofDemonstrations(String env, boolean goalsInJointSpace, int horizon, int steps, List<double[]> trainTargets,
                                           List<double[]> testTargets, MetaTestMeasurements measured) {
        List<MetaTestResult> results = new java.util.ArrayList<>(List.of(measured.result(TEST, testTargets.size(), TEST,
                DISTANCE, MetricDirection.LOWER_IS_BETTER, null)));
        goalDistance(measured, testTargets.size(), goalsInJointSpace).ifPresent(results::add);
        List<Figure> figures = List.of(targets(env, "meta-train targets (demonstrated)", trainTargets, testTargets),
                paths(env, horizon, steps, testTargets, measured, "behavioural cloning"));
        return new MetaTestReport(results, figures);
    }

    /** The goal distances' task set, where goals are not the effector's point. */
    private static java.util.Optional<MetaTestResult> goalDistance(MetaTestMeasurements measured, int tasks,
                                                                   boolean goalsInJointSpace) {
        return goalsInJointSpace
                ? java.util.Optional.of(measured.result(TEST, tasks, TEST + "-goal-distance", GOAL_DISTANCE,
                        MetricDirection.LOWER_IS_BETTER, null))
                : java.util.Optional.empty();
    }

    private static Figure targets(String env, String trainLabel, List<double[]> trainTargets, List<double[]> testTargets) {
        return new Figure("targets", env + ": meta-train and meta-test targets", "x", "y", List.of(
                Figure.Series.points(trainLabel, column(trainTargets, 0), column(trainTargets, 1)),
                Figure.Series.points("meta-test targets", column(testTargets, 0), column(testTargets, 1))));
    }

    private static Figure paths(String env, int horizon, int steps, List<double[]> testTargets,
                                MetaTestMeasurements measured, String baselineLabel) {
        List<Figure.Series> series = new ArrayList<>();
        for (int t = 0; t < Math.min(PATHS_DRAWN, testTargets.size()); t++) {
            double[] learned = measured.series(TEST, t, true, PATHS);
            double[] baseline = measured.series(TEST, t, false, PATHS);
            int n = 2 * (horizon + 1);
            if (t == 0) {
                series.add(path("initial policy", Arrays.copyOfRange(learned, 0, n)));
            }
            series.add(path("target " + t + ", learned loss after " + steps + " steps", Arrays.copyOfRange(learned, n, 2 * n)));
            series.add(path("target " + t + ", " + baselineLabel, Arrays.copyOfRange(baseline, n, 2 * n)));
            series.add(Figure.Series.points("target " + t, new double[] {testTargets.get(t)[0]},
                    new double[] {testTargets.get(t)[1]}));
        }
        return new Figure("effector-paths", env + ": effector paths at meta-test (real simulator)", "x", "y", series);
    }

    private static Figure.Series path(String label, double[] xy) {
        double[] x = new double[xy.length / 2];
        double[] y = new double[xy.length / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = xy[2 * i];
            y[i] = xy[2 * i + 1];
        }
        return new Figure.Series(label, x, y);
    }

    private static double[] column(List<double[]> points, int c) {
        return points.stream().mapToDouble(p -> p[c]).toArray();
    }
}
