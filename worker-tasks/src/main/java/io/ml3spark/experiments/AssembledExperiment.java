package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.TaskSampler;

import java.util.Objects;

/**
 * An experiment put together from its parts: a concrete experiment builds them from its settings
 * and hands them here, so that it holds no sampling, testing or reporting code itself.
 */
public abstract class AssembledExperiment implements Experiment {
    private static final long serialVersionUID = 1L;

    private final String name;
    private final MetaTraining metaTraining;
    private final TaskSampler sampler;
    private final MetaTester metaTester;
    private final MetaTestReporter reporter;

    protected AssembledExperiment(String name, MetaTraining metaTraining, TaskSampler sampler, MetaTester metaTester,
                                  MetaTestReporter reporter) {
        this.name = Objects.requireNonNull(name, "name");
        this.metaTraining = Objects.requireNonNull(metaTraining, "metaTraining");
        this.sampler = Objects.requireNonNull(sampler, "sampler");
        this.metaTester = Objects.requireNonNull(metaTester, "metaTester");
        this.reporter = Objects.requireNonNull(reporter, "reporter");
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final MetaTraining metaTraining() {
        return metaTraining;
    }

    @Override
    public final TaskSampler sampler() {
        return sampler;
    }

    @Override
    public final MetaTester metaTester() {
        return metaTester;
    }

    @Override
    public final MetaTestReporter reporter() {
        return reporter;
    }
}
