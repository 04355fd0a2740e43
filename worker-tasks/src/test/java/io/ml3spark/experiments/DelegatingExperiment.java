package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.TaskSampler;

/** Base of fault-injecting test experiments: every part is the delegate's unless a subclass overrides a method. */
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
    public MetaTraining metaTraining() {
        return delegate.metaTraining();
    }

    @Override
    public TaskSampler sampler() {
        return delegate.sampler();
    }

    @Override
    public MetaTester metaTester() {
        return delegate.metaTester();
    }

    @Override
    public MetaTestReporter reporter() {
        return delegate.reporter();
    }
}
