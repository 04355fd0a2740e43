package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.RunConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.File;

/** The required {@code --config FILE} and its {@code --set path=value} overrides. */
public final class ConfigOptions {
    @Option(names = "--config", required = true, paramLabel = "FILE",
            description = "Experiment config (HOCON), e.g. conf/sine-regression.conf.")
    File config;

    @Mixin
    OverrideOptions set;

    public RunConfig load() {
        return RunConfig.load(config, set.overrides);
    }
}
