package io.ml3spark.driver.config;

import io.ml3spark.tensor.backend.Backends;

import java.util.ArrayList;
import java.util.List;

/** The values of the config's {@code backend}: a backend by name, or {@value #AUTO} (nd4j on a task's GPU, else jvm). */
public final class BackendChoice {
    public static final String AUTO = "auto";

    private BackendChoice() {
    }

    public static List<String> names() {
        List<String> names = new ArrayList<>(Backends.names());
        names.add(AUTO);
        return names;
    }
}
