package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Orthogonal initialisation with a gain per layer and zero biases, as PPO implementations set up
 * their networks (CleanRL: sqrt(2) for hidden layers, 0.01 for the policy's output, 1 for the
 * value's): each weight {@code [in, out]} is {@code gain} times a matrix with orthonormal columns
 * ({@code in >= out}) or rows, from Gram-Schmidt on standard normal draws of the task's seed.
 */
public record OrthogonalInit(double[] gains) {
    public OrthogonalInit {
        gains = gains.clone();
    }

    /** CleanRL's gains for a network of {@code layers} layers: sqrt(2) for the hidden ones, {@code outputGain} for the last. */
    public static OrthogonalInit ppo(int layers, double outputGain) {
        double[] g = new double[layers];
        java.util.Arrays.fill(g, Math.sqrt(2));
        g[layers - 1] = outputGain;
        return new OrthogonalInit(g);
    }

    /** Parameters of {@code network} for {@code seeds.length} tasks, stacked along a leading task dimension. */
    public List<Tensor> initializeBatch(Mlp network, Backend backend, long[] seeds) {
        if (gains.length != network.layers()) {
            throw new IllegalArgumentException(gains.length + " gains for a network of " + network.layers() + " layers");
        }
        List<Shape> shapes = network.parameterShapes(seeds.length);
        List<double[]> stacked = new ArrayList<>();
        for (Shape s : shapes) {
            stacked.add(new double[s.size()]);
        }
        int[] sizes = network.sizes();
        for (int t = 0; t < seeds.length; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            int p = 0;
            for (int l = 0; l < network.layers(); l++) {
                double[] w = orthogonal(sizes[l], sizes[l + 1], gains[l], rng);
                System.arraycopy(w, 0, stacked.get(p), t * w.length, w.length);
                p += network.hasBias() ? 2 : 1;
            }
        }
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            params.add(Tensor.variable(backend.fromArray(shapes.get(i), stacked.get(i))));
        }
        return params;
    }

    /** A row-major {@code [rows, cols]} matrix, {@code gain} times orthonormal columns (rows >= cols) or rows. */
    static double[] orthogonal(int rows, int cols, double gain, SplittableRandom rng) {
        boolean tall = rows >= cols;
        int n = tall ? rows : cols;
        int k = tall ? cols : rows;
        double[][] v = new double[k][n];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                v[i][j] = rng.nextGaussian();
            }
            for (int pass = 0; pass < 2; pass++) {
                for (int q = 0; q < i; q++) {
                    double dot = 0;
                    for (int j = 0; j < n; j++) {
                        dot += v[i][j] * v[q][j];
                    }
                    for (int j = 0; j < n; j++) {
                        v[i][j] -= dot * v[q][j];
                    }
                }
            }
            double norm = 0;
            for (int j = 0; j < n; j++) {
                norm += v[i][j] * v[i][j];
            }
            norm = Math.sqrt(norm);
            for (int j = 0; j < n; j++) {
                v[i][j] /= norm;
            }
        }
        double[] w = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                w[r * cols + c] = gain * (tall ? v[c][r] : v[r][c]);
            }
        }
        return w;
    }
}
