package io.ml3spark.environments;

import io.ml3spark.config.NamedBuilder;
import io.ml3spark.config.Settings;

import java.util.function.Function;

/**
 * The {@link GoalEnvironmentType} of an environment: a subclass only names it and its builder,
 * e.g. {@code public Type() { super(NAME, section -> new PointmassGoalEnvironment(PointMass.EXTRAS)); }}.
 */
public abstract class NamedGoalEnvironmentType extends NamedBuilder<GoalEnvironment> implements GoalEnvironmentType {
    protected NamedGoalEnvironmentType(String name, Function<Settings, ? extends GoalEnvironment> build) {
        super(name, build);
    }

    @Override
    public final GoalEnvironment fromSettings(Settings section) {
        return build(section);
    }
}
