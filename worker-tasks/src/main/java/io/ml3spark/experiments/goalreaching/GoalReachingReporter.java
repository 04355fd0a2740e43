package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/** Model-based goal reaching's report ({@link GoalReachingReport#of}), the first iteration's train targets drawn beside the test ones. */
record GoalReachingReporter(GoalReachingTasks tasks, GoalReachingMetaTest metaTest, GoalEnvironment env, int horizon)
        implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<double[]> trainTargets = new ArrayList<>();
        for (int t = 0; t < tasks.tasksPerIteration(); t++) {
            trainTargets.add(tasks.trainTarget(runSeed, 1, t));
        }
        return GoalReachingReport.of(env.name(), env.goalsInJointSpace(), horizon, metaTest.settings().steps(),
                trainTargets, metaTest.tests().points(), measured);
    }
}
