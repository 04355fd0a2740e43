package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;
import io.ml3spark.experiments.mountaincar.MountainCarExperiment;

import java.util.List;

/** The experiments by config name; each reads its own config section of the same name. */
public final class Experiments {
    private Experiments() {
    }

    public static List<String> names() {
        return List.of(SineRegression.NAME, SineFrequency.NAME, MountainCarExperiment.NAME,
                DigitClassification.BINARY, DigitClassification.TEN_CLASS);
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
        return switch (name) {
            case SineRegression.NAME -> SineRegression.fromSettings(section);
            case SineFrequency.NAME -> SineFrequency.fromSettings(section);
            case MountainCarExperiment.NAME -> MountainCarExperiment.fromSettings(section);
            case DigitClassification.BINARY, DigitClassification.TEN_CLASS ->
                    DigitClassification.fromSettings(name, section, data);
            default -> throw new IllegalArgumentException("unknown experiment '" + name + "', expected one of " + names());
        };
    }
}
