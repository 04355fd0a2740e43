package io.ml3spark.driver.config;

import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Backends;
import io.ml3spark.tensor.Device;
import io.ml3spark.tensor.Precision;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The config's {@code backend} (a backend by name, or {@value #AUTO}: the backend that states it
 * is the default on the task's device) and {@code precision}, as one spec string that travels to
 * the Spark tasks: the backend's name for float64, {@code name:float32} otherwise.
 */
public final class BackendChoice {
    public static final String AUTO = "auto";
    private static final char SEPARATOR = ':';

    private BackendChoice() {
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(Backends.names());
        names.add(AUTO);
        return names;
    }

    public static String spec(String backend, Precision precision) {
        return precision == Precision.FLOAT64 ? backend : backend + SEPARATOR + precision.configName();
    }

    /** The backend name of a spec (or {@value #AUTO}). */
    public static String name(String spec) {
        int at = spec.indexOf(SEPARATOR);
        return at < 0 ? spec : spec.substring(0, at);
    }

    public static Precision precision(String spec) {
        int at = spec.indexOf(SEPARATOR);
        return at < 0 ? Precision.FLOAT64 : Precision.byName(spec.substring(at + 1));
    }

    /** The backend a configured name (or {@value #AUTO}) means for a task on {@code device}. */
    public static BackendProvider resolve(String configured, Device device) {
        String name = configured.trim().toLowerCase(Locale.ROOT);
        if (name.equals(AUTO)) {
            return Backends.defaultOn(device);
        }
        if (!Backends.names().contains(name)) {
            throw new IllegalArgumentException("unknown backend '" + configured + "', expected one of " + names());
        }
        return Backends.named(name);
    }

    /**
     * Refuses a precision the configured backend lacks; for {@value #AUTO}, one that the default
     * of any device lacks, as the run's tasks may land on either.
     */
    public static void requirePrecision(String configured, Precision precision) {
        if (configured.trim().toLowerCase(Locale.ROOT).equals(AUTO)) {
            for (Device device : Device.values()) {
                Backends.requirePrecision(resolve(configured, device), precision);
            }
        } else {
            Backends.requirePrecision(resolve(configured, Device.CPU), precision);
        }
    }
}
