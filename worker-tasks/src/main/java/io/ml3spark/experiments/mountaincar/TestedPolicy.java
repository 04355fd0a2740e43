package io.ml3spark.experiments.mountaincar;

import java.util.Arrays;

/**
 * A policy at meta-test: its rollout's positions over time and its gain {@code (k_p, k_v)}.
 * The policy is linear without biases, so its output is exactly {@code k_p p + k_v v}
 * before the action bound.
 */
public record TestedPolicy(double[] positions, double[] gain) {
    public double endPosition() {
        return positions[positions.length - 1];
    }

    public double lowestPosition() {
        return Arrays.stream(positions).min().orElseThrow();
    }
}
