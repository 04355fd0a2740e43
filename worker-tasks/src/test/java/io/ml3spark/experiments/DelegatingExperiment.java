package io.ml3spark.experiments;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** Base of fault-injecting test experiments: everything is the delegate's unless overridden. */
abstract class DelegatingExperiment implements Experiment {
    private static final long serialVersionUID = 1L;

    protected final Experiment delegate;

    DelegatingExperiment(Experiment delegate) {
        this.delegate = delegate;
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public LearnedLoss learnedLoss() {
        return delegate.learnedLoss();
    }

    @Override
    public PhiInit phiInit() {
        return delegate.phiInit();
    }

    @Override
    public MetaGradientEstimator estimator() {
        return delegate.estimator();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return delegate.tasks(backend, runSeed, iteration, taskIndices);
    }

    @Override
    public int tasksPerIteration() {
        return delegate.tasksPerIteration();
    }

    @Override
    public List<MetaTestUnit> metaTestUnits() {
        return delegate.metaTestUnits();
    }

    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        return delegate.measure(backend, phi, runSeed, unit);
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        return delegate.metaTestReport(backend, phi, runSeed, measured);
    }
}
