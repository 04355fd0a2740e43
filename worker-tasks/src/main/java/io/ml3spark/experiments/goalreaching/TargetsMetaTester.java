package io.ml3spark.experiments.goalreaching;

import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;

import java.util.List;

/** A goal-reaching meta-test: one unit per test target and method. */
interface TargetsMetaTester extends MetaTester {
    TestTargets tests();

    @Override
    default List<MetaTestUnit> units() {
        return tests().units();
    }
}
