package io.ml3spark.environments;

import io.ml3spark.config.NamedServices;
import io.ml3spark.config.Settings;

import java.util.List;

/** The goal-reaching environments by config name, as the {@link GoalEnvironmentType}s on the class path declare them. */
public final class GoalEnvironments {
    private GoalEnvironments() {
    }

    private static NamedServices<GoalEnvironmentType> services() {
        return NamedServices.load(GoalEnvironmentType.class, t -> List.of(t.name()), "environment");
    }

    public static List<String> names() {
        return services().names();
    }

    /** The environment that {@code section}'s {@code environment} key names, built from its own keys. */
    public static GoalEnvironment fromSettings(Settings section) {
        List<String> names = names();
        String name = section.getChoice("environment", names.toArray(String[]::new));
        return services().named(name).fromSettings(section);
    }
}
