package io.ml3spark.driver.cli;

import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** Repeatable {@code --set path=value} config overrides. */
public final class OverrideOptions {
    @Option(names = "--set", paramLabel = "PATH=VALUE",
            description = "Override a config value, e.g. --set meta-train.iterations=50 (repeatable).")
    List<String> overrides = new ArrayList<>();
}
