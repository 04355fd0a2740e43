package io.ml3spark.experiments;

import java.util.Locale;

/**
 * Which way a meta-test metric improves: lower (losses, errors), higher (accuracy, the car's end
 * position), or neither (descriptive: a policy's gain, the lowest position). Every
 * {@link MetaTestResult} carries its own, and evaluation.json records it.
 */
public enum MetricDirection {
    LOWER_IS_BETTER, HIGHER_IS_BETTER, NEITHER;

    /** As evaluation.json writes it: {@code lower_is_better}, {@code higher_is_better}, {@code neither}. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The direction {@link #jsonName} wrote; null for anything else. */
    public static MetricDirection fromJsonName(String name) {
        for (MetricDirection d : values()) {
            if (d.jsonName().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /** Whether {@code learned} beats {@code baseline}; null when the metric has no direction. */
    public Boolean learnedWins(double learned, double baseline) {
        return switch (this) {
            case LOWER_IS_BETTER -> learned < baseline;
            case HIGHER_IS_BETTER -> learned > baseline;
            case NEITHER -> null;
        };
    }

    public String words() {
        return switch (this) {
            case LOWER_IS_BETTER -> "lower is better";
            case HIGHER_IS_BETTER -> "higher is better";
            case NEITHER -> "descriptive";
        };
    }
}
