package io.ml3spark.driver.config;

/** A configuration problem, reported as one line naming the key (and file) and what was expected. */
public final class ConfigError extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ConfigError(String message) {
        super(message);
    }
}
