package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;

import java.util.List;

/**
 * A kind of experiment: the config names it answers to ({@code experiment = NAME}) and how it
 * is built from its config section of that name. Implementations are found with
 * {@link java.util.ServiceLoader}: a new experiment is its class, its config, and one line
 * in {@code META-INF/services/io.ml3spark.experiments.ExperimentType}.
 */
public interface ExperimentType {
    /** The config names, e.g. {@code mnist-binary} and {@code mnist-10class}. */
    List<String> names();

    /** The experiment {@code name} from {@code section}; the data files it names are read with {@code data}. */
    Experiment fromSettings(String name, Settings section, DataOpener data);
}
