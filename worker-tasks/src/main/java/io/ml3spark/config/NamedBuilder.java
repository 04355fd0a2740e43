package io.ml3spark.config;

import java.util.Objects;
import java.util.function.Function;

/**
 * A service with one config name that is built from its config section alone: the base of the
 * experiment and environment types whose subclass only names it and its builder.
 */
public abstract class NamedBuilder<T> {
    private final String name;
    private final Function<Settings, ? extends T> build;

    protected NamedBuilder(String name, Function<Settings, ? extends T> build) {
        this.name = Objects.requireNonNull(name, "name");
        this.build = Objects.requireNonNull(build, "build");
    }

    /** The config name. */
    public final String name() {
        return name;
    }

    /** What the config section {@code section} describes. */
    protected final T build(Settings section) {
        return build.apply(section);
    }
}
