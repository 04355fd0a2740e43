package io.ml3spark.driver.run;

import java.util.Map;

/** Which way a meta-test metric improves: lower (losses, errors), higher (accuracy, the car's end position), or neither. */
public enum MetricDirection {
    LOWER_IS_BETTER, HIGHER_IS_BETTER, NEITHER;

    private static final Map<String, MetricDirection> KNOWN = Map.ofEntries(
            Map.entry("mse", LOWER_IS_BETTER), Map.entry("nmse", LOWER_IS_BETTER), Map.entry("nll", LOWER_IS_BETTER),
            Map.entry("frequency_error", LOWER_IS_BETTER), Map.entry("accuracy", HIGHER_IS_BETTER),
            Map.entry("end_position", HIGHER_IS_BETTER), Map.entry("final_distance", LOWER_IS_BETTER),
            Map.entry("goal_distance", LOWER_IS_BETTER), Map.entry("task_loss", LOWER_IS_BETTER),
            Map.entry("return", HIGHER_IS_BETTER), Map.entry("env_steps_to_return", LOWER_IS_BETTER));

    /** The direction of {@code metric}; NEITHER for descriptive ones (a policy's gain, the lowest position). */
    public static MetricDirection of(String metric) {
        return KNOWN.getOrDefault(metric, NEITHER);
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
