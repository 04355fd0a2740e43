package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.control.Undifferentiated;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.experiments.goalreaching.GoalReachingExperiment.GoalMetaTest;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each test target trained from the stored initial policy by SGD steps on the learned loss or on
 * the task loss, the gradients through what {@link GoalMetaTest} names; after each step, the real
 * simulator's rollout is measured.
 */
final class GoalReachingMetaTest implements MetaTester {
    private static final long serialVersionUID = 1L;

    private final GoalReachingControl control;
    private final LearnedLoss learnedLoss;
    private final Targets test;
    private final GoalMetaTest settings;

    GoalReachingMetaTest(GoalReachingControl control, LearnedLoss learnedLoss, Targets test, GoalMetaTest settings) {
        this.control = control;
        this.learnedLoss = learnedLoss;
        this.test = test;
        this.settings = settings;
    }

    Targets targets() {
        return test;
    }

    GoalMetaTest settings() {
        return settings;
    }

    /** The meta-test's targets (the same for every run seed). */
    List<double[]> testTargets() {
        return test.testTargets(control.env());
    }

    @Override
    public List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods(GoalReachingReport.TEST, test.count());
    }

    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        GoalEnvironment env = control.env();
        GoalTasks goalTasks = control.goalTasks();
        double[] target = testTargets().get(unit.task());
        double[] goals = test.goalOf(env, target);
        Environment gradients = switch (unit.learnedLoss() ? settings.learnedLoss() : settings.taskLoss()) {
            case ACTIONS -> new Undifferentiated(env.simulator());
            case SIMULATOR -> env.simulator();
            case MODEL -> control.requireEnsemble();
        };
        RolloutProblem problem = control.problem(backend, gradients, goals, goalTasks.initialPolicy(backend, runSeed, 1));
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        Tensor goal = Tensor.constant(backend, goals, 1, 1, goals.length);
        List<Tensor> theta = problem.initialParameters();
        int steps = settings.steps();
        double[] effectorDistance = new double[steps + 1];
        double[] goalDistance = new double[steps + 1];
        double[] taskLosses = new double[steps + 1];
        int horizon = goalTasks.horizon();
        double[] paths = new double[2 * 2 * (horizon + 1)];
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                Tensor objective = unit.learnedLoss() ? problem.innerLoss(loss, theta) : problem.taskLoss(theta).sum();
                theta = InnerLoop.update(theta, objective, settings.learningRate(), false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Rollout real = goalTasks.rollout(env.simulator(), goals, theta);
                taskLosses[step] = control.taskLoss().perTask(real.states(), goal).item();
                double[][] path = goalTasks.effectorPath(real);
                double[] end = path[horizon];
                effectorDistance[step] = Math.hypot(end[0] - target[0], end[1] - target[1]);
                goalDistance[step] = goalTasks.goalDistance(real, goals);
                GoalReachingReport.keepPath(paths, path, step, steps);
            }
        }
        Map<String, double[]> series = new HashMap<>(Map.of(GoalReachingReport.DISTANCE, effectorDistance,
                GoalReachingReport.TASK_LOSS, taskLosses, GoalReachingReport.PATHS, paths));
        if (env.goalsInJointSpace()) {
            series.put(GoalReachingReport.GOAL_DISTANCE, goalDistance);
        }
        return new MetaTestMeasurement(unit, series);
    }
}
