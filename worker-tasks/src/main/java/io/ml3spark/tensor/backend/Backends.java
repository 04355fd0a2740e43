package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Precision;
import java.util.List;
import java.util.Locale;

/** The backends by the names configs and the command line use. */
public final class Backends {
    private Backends() {
    }

    public static List<String> names() {
        return List.of("jvm", "nd4j");
    }

    /** The named backend in float64. */
    public static Backend byName(String name) {
        return byName(name, Precision.FLOAT64);
    }

    public static Backend byName(String name, Precision precision) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "jvm" -> {
                if (precision != Precision.FLOAT64) {
                    throw new IllegalArgumentException("the jvm backend computes in float64 only; precision "
                            + precision.configName() + " needs backend nd4j");
                }
                yield JvmBackend.INSTANCE;
            }
            // Loads ND4J's native libraries on first use only.
            case "nd4j" -> precision == Precision.FLOAT32 ? Nd4jBackend.FLOAT32 : Nd4jBackend.INSTANCE;
            default -> throw new IllegalArgumentException("unknown backend '" + name + "', expected one of " + names());
        };
    }
}
