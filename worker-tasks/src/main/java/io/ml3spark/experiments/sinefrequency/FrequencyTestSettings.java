package io.ml3spark.experiments.sinefrequency;

import java.io.Serializable;

/**
 * The loss-shaping meta-test: SGD from {@code initialTheta} on tasks {@code sin(w x)} of the given
 * frequencies on an input grid, and the thetas at which the loss landscape is drawn.
 */
public record FrequencyTestSettings(double[] frequencies, double[] inputs, double initialTheta, int steps,
                                    double learningRate, double[] landscapeThetas) implements Serializable {
}
