package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.tensor.Backend;

/** The demonstrations experiment's report ({@link GoalReachingReport#ofDemonstrations}). */
record DemonstrationsReporter(Demonstrations demonstrations, DemonstrationsMetaTest metaTest)
        implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        GoalEnvironment env = demonstrations.env();
        return GoalReachingReport.ofDemonstrations(env.name(), env.goalsInJointSpace(),
                demonstrations.goalTasks().horizon(), metaTest.steps(), demonstrations.targets().listed(),
                metaTest.tests().points(), measured);
    }
}
