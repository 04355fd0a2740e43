package io.ml3spark.environments;

import io.ml3spark.config.Settings;

import java.util.function.Function;

/**
 * The {@link GoalEnvironmentType} of an environment with one config name: a subclass only names it
 * and its builder, e.g. {@code public Type() { super(NAME, s -> new PointmassGoalEnvironment(PointMass.EXTRAS)); }}.
 */
public abstract class NamedGoalEnvironmentType implements GoalEnvironmentType {
    private final String name;
    private final Function<Settings, ? extends GoalEnvironment> build;

    protected NamedGoalEnvironmentType(String name, Function<Settings, ? extends GoalEnvironment> build) {
        this.name = name;
        this.build = build;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public final GoalEnvironment fromSettings(Settings section) {
        return build.apply(section);
    }
}
