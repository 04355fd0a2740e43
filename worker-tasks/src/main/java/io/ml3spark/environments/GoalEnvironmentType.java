package io.ml3spark.environments;

import io.ml3spark.config.Settings;

/**
 * A kind of goal-reaching environment: the name a config gives it ({@code environment = NAME})
 * and how it is built from its own keys of the experiment's section (the reacher's {@code arm}).
 * Implementations are found with {@link java.util.ServiceLoader}: a new environment is its
 * class, its type, and one line in {@code META-INF/services/io.ml3spark.environments.GoalEnvironmentType}.
 */
public interface GoalEnvironmentType {
    String name();

    /** The environment from {@code section}, the experiment's config section; reads only this environment's keys. */
    GoalEnvironment fromSettings(Settings section);
}
