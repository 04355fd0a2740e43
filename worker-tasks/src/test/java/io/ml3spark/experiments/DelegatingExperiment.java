package io.ml3spark.experiments;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** Base of fault-injecting test experiments: everything but the meta-gradient is the delegate's. */
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
    public double[] initialPhi(Backend backend, long runSeed) {
        return delegate.initialPhi(backend, runSeed);
    }

    @Override
    public int tasksPerIteration() {
        return delegate.tasksPerIteration();
    }

    @Override
    public List<MetaTestResult> metaTest(Backend backend, double[] phi, long runSeed) {
        return delegate.metaTest(backend, phi, runSeed);
    }
}
