package io.ml3spark.ml3;

import java.io.Serializable;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * A meta-gradient estimator that only evaluates the meta-objective: antithetic Gaussian
 * smoothing (as in OpenAI's evolution strategies). One pair estimates
 * {@code dJ/dphi ~ (J(phi + sigma e) - J(phi - sigma e)) / (2 sigma) e}, {@code e ~ N(0, I)},
 * which is the gradient of J smoothed at scale sigma: it also sees what backpropagation
 * cannot, such as a cliff in J or a flat region of a clipped simulator. The noise is drawn
 * from a seed, so a Spark task needs only (phi, seed) and the driver nothing but the sum.
 */
public record EvolutionStrategy(int pairs, double sigma) implements Serializable {
    public EvolutionStrategy {
        if (pairs < 1) {
            throw new IllegalArgumentException("evolution strategy pairs must be >= 1, got " + pairs);
        }
        if (!(sigma > 0)) {
            throw new IllegalArgumentException("evolution strategy sigma must be > 0, got " + sigma);
        }
    }

    /**
     * One antithetic pair's estimate, with noise from {@code noiseSeed}; its task loss is the
     * mean of the two objective values.
     */
    public MetaGradient pair(double[] phi, long noiseSeed, ToDoubleFunction<double[]> objective) {
        double[] noise = noise(phi.length, noiseSeed);
        double plus = objective.applyAsDouble(shifted(phi, noise, sigma));
        double minus = objective.applyAsDouble(shifted(phi, noise, -sigma));
        double scale = (plus - minus) / (2 * sigma);
        double[] gradient = new double[phi.length];
        for (int i = 0; i < gradient.length; i++) {
            gradient[i] = scale * noise[i];
        }
        return MetaGradient.of(gradient, new double[] {(plus + minus) / 2});
    }

    static double[] noise(int size, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] e = new double[size];
        for (int i = 0; i < size; i++) {
            e[i] = rng.nextGaussian();
        }
        return e;
    }

    private static double[] shifted(double[] phi, double[] noise, double step) {
        double[] p = phi.clone();
        for (int i = 0; i < p.length; i++) {
            p[i] += step * noise[i];
        }
        return p;
    }
}
