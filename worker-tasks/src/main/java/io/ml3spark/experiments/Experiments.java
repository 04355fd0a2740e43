package io.ml3spark.experiments;

import io.ml3spark.config.NamedServices;
import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;

import java.util.List;

/** The experiments by config name, as the {@link ExperimentType}s on the classpath declare them. */
public final class Experiments {
    private Experiments() {
    }

    private static NamedServices<ExperimentType> services() {
        return NamedServices.load(ExperimentType.class, ExperimentType::names, "experiment");
    }

    public static List<String> names() {
        return services().names();
    }

    /** The experiment named {@code name}, built from {@code section}; data files are local or on the classpath. */
    public static Experiment fromSettings(String name, Settings section) {
        return fromSettings(name, section, DataOpener.LOCAL);
    }

    /**
     * The experiment named {@code name}, built from {@code section} (the config section of that
     * name); the data files it names are read with {@code data}.
     */
    public static Experiment fromSettings(String name, Settings section, DataOpener data) {
        return services().named(name).fromSettings(name, section, data);
    }
}
