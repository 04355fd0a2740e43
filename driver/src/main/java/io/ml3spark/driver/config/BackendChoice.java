package io.ml3spark.driver.config;

import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.backend.Backends;

import java.util.ArrayList;
import java.util.List;

/**
 * The config's {@code backend} (a backend by name, or {@value #AUTO}: nd4j on a task's GPU,
 * else jvm) and {@code precision}, as one spec string that travels to the Spark tasks:
 * the backend's name for float64, {@code name:float32} otherwise.
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
}
