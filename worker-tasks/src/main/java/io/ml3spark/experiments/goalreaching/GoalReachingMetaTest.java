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

import java.util.List;
import java.util.Map;

/**
 * Each test target trained from the stored initial policy by SGD steps on the learned loss or on
 * the task loss, the gradients through what {@link GoalMetaTest} names; after each step, the real
 * simulator's rollout is measured.
 */
record GoalReachingMetaTest(GoalReachingControl control, LearnedLoss learnedLoss, TestTargets tests,
                            GoalMetaTest settings) implements TargetsMetaTester {
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        GoalEnvironment env = control.env();
        GoalTasks goalTasks = control.goalTasks();
        double[] goals = tests.goal(unit.task());
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
        double[] taskLosses = new double[steps + 1];
        RealRolloutSeries measured = tests.recorder(goalTasks, unit.task(), steps);
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                Tensor objective = unit.learnedLoss() ? problem.innerLoss(loss, theta) : problem.taskLoss(theta).sum();
                theta = InnerLoop.update(theta, objective, settings.learningRate(), false);
            }
            Rollout real = measured.record(step, theta);
            try (GradMode.Scope ignored = GradMode.disabled()) {
                taskLosses[step] = control.taskLoss().perTask(real.states(), goal).item();
            }
        }
        Map<String, double[]> series = measured.series();
        series.put(GoalReachingReport.TASK_LOSS, taskLosses);
        return new MetaTestMeasurement(unit, series);
    }
}
