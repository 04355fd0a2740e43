package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import java.util.List;
import java.util.Locale;

/** The backends by the names configs and the command line use. */
public final class Backends {
    private Backends() {
    }

    public static List<String> names() {
        return List.of("jvm", "nd4j");
    }

    public static Backend byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "jvm" -> JvmBackend.INSTANCE;
            // Loads ND4J's native libraries on first use only.
            case "nd4j" -> Nd4jBackend.INSTANCE;
            default -> throw new IllegalArgumentException("unknown backend '" + name + "', expected one of " + names());
        };
    }
}
