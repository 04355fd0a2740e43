package io.ml3spark.autodiff;

import io.ml3spark.tensor.ShapeException;

import java.util.SplittableRandom;

/**
 * Inverted dropout with a constant mask: each element is kept with probability 1 - p and
 * scaled by 1 / (1 - p), or zeroed. The mask of task t is drawn from {@code seeds[t]}
 * alone, so it does not depend on how tasks are batched, and a recomputation (a retried
 * Spark task, a finite-difference probe) sees the same mask. Being a product with a
 * constant, it is differentiable to every order.
 */
public final class Dropout {
    private Dropout() {
    }

    /** {@code x} of shape {@code [T, ...]} with T = {@code seeds.length}; p = 0 returns x. */
    public static Tensor apply(Tensor x, double p, long[] seeds) {
        if (!(p >= 0 && p < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        }
        if (x.shape().rank() < 1 || x.shape().dim(0) != seeds.length) {
            throw new ShapeException("dropout", "one seed per task expected: " + seeds.length + " seeds for shape "
                    + x.shape());
        }
        if (p == 0) {
            return x;
        }
        double keep = 1.0 / (1.0 - p);
        int perTask = x.shape().size() / seeds.length;
        double[] mask = new double[x.shape().size()];
        for (int t = 0; t < seeds.length; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            for (int i = 0; i < perTask; i++) {
                mask[t * perTask + i] = rng.nextDouble() < p ? 0.0 : keep;
            }
        }
        return x.mul(Tensor.constant(x.backend().fromArray(x.shape(), mask)));
    }
}
