package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.MetaTestUnit;

import java.io.Serializable;
import java.util.List;

/** A goal-reaching meta-test's targets in an environment: one unit per target and method, each target's goal. */
record TestTargets(GoalEnvironment env, Targets targets) implements Serializable {
    /** The targets in the plane (the same for every run seed). */
    List<double[]> points() {
        return targets.testTargets(env);
    }

    List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods(GoalReachingReport.TEST, targets.count());
    }

    /** Test target {@code task}'s goal in position coordinates. */
    double[] goal(int task) {
        return targets.goalOf(env, points().get(task));
    }

    /** The recorder of test target {@code task}'s real rollouts after each of 0..steps steps. */
    RealRolloutSeries recorder(GoalTasks goalTasks, int task, int steps) {
        return new RealRolloutSeries(goalTasks, points().get(task), goal(task), steps);
    }
}
