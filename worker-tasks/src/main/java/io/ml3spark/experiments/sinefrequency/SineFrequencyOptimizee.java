package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.tensor.Backend;

import java.util.List;
import java.util.SplittableRandom;

/**
 * The one-parameter optimizee of the loss-shaping experiment, {@code yhat = sin(theta x)};
 * theta is {@code [B, 1, 1]}, drawn per task from {@code initialTheta} (a fixed value when
 * its ends are equal, 0.1 in the paper).
 */
public record SineFrequencyOptimizee(Range initialTheta) implements Optimizee {
    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        double[] theta = new double[seeds.length];
        for (int t = 0; t < seeds.length; t++) {
            theta[t] = initialTheta.draw(new SplittableRandom(seeds[t]));
        }
        return List.of(Tensor.variable(backend, theta, seeds.length, 1, 1));
    }

    @Override
    public Tensor predict(List<Tensor> theta, Tensor inputs) {
        return theta.get(0).mul(inputs).sin();
    }
}
