package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code --config FILE} and repeatable {@code --set path=value} overrides. */
public final class ConfigOptions {
    @Option(names = "--config", paramLabel = "FILE", description = "Experiment config (HOCON), e.g. conf/sine-regression.conf.")
    File config;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a config value, e.g. --set meta-train.iterations=50 (repeatable).")
    List<String> overrides = new ArrayList<>();

    public ConfigOptions() {
    }

    ConfigOptions(File config, List<String> overrides) {
        this.config = config;
        this.overrides = overrides;
    }

    public RunConfig load() {
        if (config == null) {
            throw new ConfigError("missing option --config FILE");
        }
        return RunConfig.load(config, overrides);
    }

    /** A saved config (e.g. a run directory's config.conf) with the {@code --set} overrides on top. */
    public RunConfig loadText(String text, String origin) {
        return RunConfig.parse(text, origin, overrides);
    }
}
