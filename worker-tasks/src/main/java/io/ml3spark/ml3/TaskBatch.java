package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

/**
 * The data of B tasks stacked along the leading dimension: inputs {@code [B, N, in]},
 * targets {@code [B, N, out]}, and optional extra information {@code [B, ...]} that only
 * a meta-train task loss may use (the true sine frequency, say).
 */
public record TaskBatch(Tensor inputs, Tensor targets, Tensor extra) {
    public TaskBatch {
        if (inputs.shape().rank() != 3 || targets.shape().rank() != 3
                || inputs.shape().dim(0) != targets.shape().dim(0) || inputs.shape().dim(1) != targets.shape().dim(1)) {
            throw new IllegalArgumentException("a task batch needs inputs [B, N, in] and targets [B, N, out], got "
                    + inputs.shape() + " and " + targets.shape());
        }
    }

    public TaskBatch(Tensor inputs, Tensor targets) {
        this(inputs, targets, null);
    }

    public int tasks() {
        return inputs.shape().dim(0);
    }

    public int samples() {
        return inputs.shape().dim(1);
    }

    /** Each task's variance of its (single-column) targets over its samples, {@code [B]}: the scale NMSE divides by. */
    public double[] targetVariances() {
        double[] y = targets.toArray();
        int n = samples();
        double[] var = new double[tasks()];
        for (int t = 0; t < var.length; t++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y[t * n + i] / n;
            }
            for (int i = 0; i < n; i++) {
                double d = y[t * n + i] - mean;
                var[t] += d * d / n;
            }
        }
        return var;
    }
}
