package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.RunConfig;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code --config FILE} and repeatable {@code --set path=value} overrides. */
public final class ConfigOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE", description = "Experiment config (HOCON), e.g. conf/sine-regression.conf.")
    File config;

    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a config value, e.g. --set meta-train.iterations=50 (repeatable).")
    List<String> overrides = new ArrayList<>();

    public RunConfig load() {
        return RunConfig.load(config, overrides);
    }
}
