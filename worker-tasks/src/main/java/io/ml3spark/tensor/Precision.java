package io.ml3spark.tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The floating-point type a backend computes and stores tensors in. Values cross the
 * {@link Backend} boundary as {@code double} either way ({@link Backend#fromArray},
 * {@link TensorData#toArray}); phi, Adam and the meta-gradient sums on the driver stay in
 * float64. Gradient checks run in float64.
 */
public enum Precision {
    FLOAT64, FLOAT32;

    /** The name configs and the command line use: {@code float64}, {@code float32}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static List<String> configNames() {
        return Arrays.stream(values()).map(Precision::configName).toList();
    }

    public static Precision byName(String name) {
        for (Precision p : values()) {
            if (p.configName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + name + "', expected one of " + configNames());
    }
}
