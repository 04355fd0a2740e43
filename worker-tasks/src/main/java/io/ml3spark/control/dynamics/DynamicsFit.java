package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Fits one {@link ProbabilisticDynamics} member to transitions by minibatch Adam on the
 * Gaussian NLL (the reference's: lr 1e-3, batch 64, 500 epochs), the minibatches reshuffled every
 * epoch from {@code seed}. Transitions are rows: (state, action) {@code [N, S + A]} and the
 * velocity change {@code [N, V]}.
 */
public record DynamicsFit(double learningRate, int epochs, int batchSize) implements Serializable {
    public static final DynamicsFit SPEC = new DynamicsFit(1e-3, 500, 64);

    public DynamicsFit {
        if (!(learningRate > 0) || epochs < 1 || batchSize < 1) {
            throw new IllegalArgumentException("dynamics fit: learning rate, epochs and batch size must be positive");
        }
    }

    public double[] fit(Backend backend, ProbabilisticDynamics model, double[] initial, double[][] inputs,
                        double[][] targets, long seed) {
        int n = inputs.length;
        int in = inputs[0].length;
        int out = targets[0].length;
        Adam adam = new Adam(initial.length, learningRate, 0.9, 0.999, 1e-8);
        double[] params = initial.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = java.util.stream.IntStream.range(0, n).toArray();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int from = 0; from < n; from += batchSize) {
                int rows = Math.min(batchSize, n - from);
                double[] x = new double[rows * in];
                double[] y = new double[rows * out];
                for (int r = 0; r < rows; r++) {
                    System.arraycopy(inputs[order[from + r]], 0, x, r * in, in);
                    System.arraycopy(targets[order[from + r]], 0, y, r * out, out);
                }
                List<Tensor> p = model.layout().variables(backend, params);
                Tensor nll = model.negativeLogLikelihood(p, Tensor.constant(backend, x, rows, in),
                        Tensor.constant(backend, y, rows, out));
                params = adam.step(params, model.layout().flatten(Autograd.grad(nll, p, false)));
            }
        }
        return params;
    }
}
