package io.ml3spark.nn;

import java.util.SplittableRandom;

/** Weight initialisations, drawn from a seeded generator so that a task recomputes identically. */
public enum Init {
    /** Glorot and Bengio: U(-b, b) with b = sqrt(6 / (fan_in + fan_out)). */
    XAVIER_UNIFORM,
    /** PyTorch's default for nn.Linear: U(-b, b) with b = 1 / sqrt(fan_in), for weights and biases. */
    TORCH_DEFAULT;

    public double weightBound(int fanIn, int fanOut) {
        return switch (this) {
            case XAVIER_UNIFORM -> Math.sqrt(6.0 / (fanIn + fanOut));
            case TORCH_DEFAULT -> 1.0 / Math.sqrt(fanIn);
        };
    }

    static void uniform(SplittableRandom rng, double bound, double[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = (2.0 * rng.nextDouble() - 1.0) * bound;
        }
    }
}
