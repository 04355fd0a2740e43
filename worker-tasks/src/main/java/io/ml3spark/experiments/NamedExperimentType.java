package io.ml3spark.experiments;

import io.ml3spark.config.NamedBuilder;
import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;

import java.util.List;
import java.util.function.Function;

/**
 * The {@link ExperimentType} of an experiment with one config name that reads no data files:
 * a subclass only names it and its builder, e.g.
 * {@code public Type() { super(NAME, SineFrequency::fromSettings); }}.
 */
public abstract class NamedExperimentType extends NamedBuilder<Experiment> implements ExperimentType {
    protected NamedExperimentType(String name, Function<Settings, ? extends Experiment> build) {
        super(name, build);
    }

    @Override
    public final List<String> names() {
        return List.of(name());
    }

    @Override
    public final Experiment fromSettings(String configName, Settings section, DataOpener data) {
        return build(section);
    }
}
