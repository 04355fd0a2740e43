package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** The experiments by config name, as the {@link ExperimentType}s on the classpath declare them. */
public final class Experiments {
    private Experiments() {
    }

    /** Every type by each of its names; two types claiming one name is an error naming both. */
    private static Map<String, ExperimentType> byName() {
        Map<String, ExperimentType> types = new LinkedHashMap<>();
        ClassLoader loader = Thread.currentThread().getContextClassLoader() != null
                ? Thread.currentThread().getContextClassLoader() : Experiments.class.getClassLoader();
        for (ExperimentType type : ServiceLoader.load(ExperimentType.class, loader)) {
            for (String name : type.names()) {
                ExperimentType other = types.putIfAbsent(name, type);
                if (other != null && other.getClass() != type.getClass()) {
                    throw new IllegalStateException("experiment '" + name + "' is declared by both "
                            + other.getClass().getName() + " and " + type.getClass().getName());
                }
            }
        }
        return types;
    }

    public static List<String> names() {
        return new ArrayList<>(byName().keySet());
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
        ExperimentType type = byName().get(name);
        if (type == null) {
            throw new IllegalArgumentException("unknown experiment '" + name + "', expected one of " + names());
        }
        return type.fromSettings(name, section, data);
    }
}
