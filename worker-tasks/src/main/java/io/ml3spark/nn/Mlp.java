package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A functional multilayer perceptron: the architecture only. Parameters are passed in
 * (weights {@code [in, out]}, biases {@code [1, out]}, each with an optional leading
 * task-batch dimension), so an inner loop can produce new parameters as a function of
 * phi and run the same network on them, as {@code higher} does for PyTorch modules.
 */
public final class Mlp implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int[] sizes;
    private final Activation hidden;
    private final Activation output;
    private final boolean bias;

    /**
     * @param sizes  layer widths from input to output, e.g. {@code {2, 50, 50, 1}}
     * @param hidden activation after every layer but the last
     * @param output activation after the last layer
     * @param bias   whether layers have biases
     */
    public Mlp(int[] sizes, Activation hidden, Activation output, boolean bias) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException("an MLP needs at least an input and an output size, got " + Arrays.toString(sizes));
        }
        for (int s : sizes) {
            if (s <= 0) {
                throw new IllegalArgumentException("layer sizes must be positive, got " + Arrays.toString(sizes));
            }
        }
        this.sizes = sizes.clone();
        this.hidden = hidden;
        this.output = output;
        this.bias = bias;
    }

    public int layers() {
        return sizes.length - 1;
    }

    public int inputSize() {
        return sizes[0];
    }

    public int outputSize() {
        return sizes[sizes.length - 1];
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public Activation hidden() {
        return hidden;
    }

    public Activation output() {
        return output;
    }

    public boolean hasBias() {
        return bias;
    }

    /** The named parameters: {@code layers.<i>.weight} ({@code [in, out]}) and {@code layers.<i>.bias} ({@code [1, out]}). */
    public List<Parameter> parameters() {
        List<Shape> shapes = parameterShapes();
        List<Parameter> named = new ArrayList<>(shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            int layer = bias ? i / 2 : i;
            named.add(new Parameter("layers." + layer + (bias && i % 2 == 1 ? ".bias" : ".weight"), shapes.get(i)));
        }
        return named;
    }

    /** Parameter shapes in order (W1, b1, W2, b2, ...), each prefixed by {@code batch} (empty for none). */
    public List<Shape> parameterShapes(int... batch) {
        List<Shape> shapes = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            shapes.add(prefixed(batch, sizes[l], sizes[l + 1]));
            if (bias) {
                shapes.add(prefixed(batch, 1, sizes[l + 1]));
            }
        }
        return shapes;
    }

    private static Shape prefixed(int[] batch, int rows, int cols) {
        int[] d = Arrays.copyOf(batch, batch.length + 2);
        d[batch.length] = rows;
        d[batch.length + 1] = cols;
        return Shape.of(d);
    }

    public int parameterCount() {
        int n = 0;
        for (Shape s : parameterShapes()) {
            n += s.size();
        }
        return n;
    }

    /**
     * Fresh parameters as leaves that require gradients, without a task dimension.
     * Weights are drawn with {@code init}; biases are {@code U(-1/sqrt(fan_in), 1/sqrt(fan_in))}
     * for {@link Init#TORCH_DEFAULT} and the constant {@code biasValue} otherwise.
     */
    public List<Tensor> initialize(Backend backend, Init init, double biasValue, SplittableRandom rng) {
        List<double[]> values = draw(init, biasValue, rng);
        List<Shape> shapes = parameterShapes();
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            params.add(Tensor.variable(backend.fromArray(shapes.get(i), values.get(i))));
        }
        return params;
    }

    /**
     * Fresh parameters for {@code seeds.length} tasks, stacked along a leading task
     * dimension; task t's draw depends on {@code seeds[t]} only, so it does not matter how
     * tasks are grouped into batches.
     */
    public List<Tensor> initializeBatch(Backend backend, Init init, double biasValue, long[] seeds) {
        List<Shape> shapes = parameterShapes(seeds.length);
        List<double[]> stacked = new ArrayList<>();
        for (Shape s : shapes) {
            stacked.add(new double[s.size()]);
        }
        for (int t = 0; t < seeds.length; t++) {
            List<double[]> one = draw(init, biasValue, new SplittableRandom(seeds[t]));
            for (int i = 0; i < one.size(); i++) {
                double[] v = one.get(i);
                System.arraycopy(v, 0, stacked.get(i), t * v.length, v.length);
            }
        }
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            params.add(Tensor.variable(backend.fromArray(shapes.get(i), stacked.get(i))));
        }
        return params;
    }

    private List<double[]> draw(Init init, double biasValue, SplittableRandom rng) {
        List<double[]> values = new ArrayList<>();
        for (int l = 0; l < layers(); l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] w = new double[in * out];
            Init.uniform(rng, init.weightBound(in, out), w);
            values.add(w);
            if (bias) {
                double[] b = new double[out];
                if (init == Init.TORCH_DEFAULT) {
                    Init.uniform(rng, 1.0 / Math.sqrt(in), b);
                } else {
                    Arrays.fill(b, biasValue);
                }
                values.add(b);
            }
        }
        return values;
    }

    /** Runs the network on {@code x} of shape {@code [..., rows, inputSize]}. */
    public Tensor forward(List<Tensor> params, Tensor x) {
        int expected = bias ? 2 * layers() : layers();
        if (params.size() != expected) {
            throw new IllegalArgumentException("MLP " + Arrays.toString(sizes) + " takes " + expected
                    + " parameter tensors, got " + params.size());
        }
        if (x.shape().rank() < 2 || x.shape().dim(-1) != sizes[0]) {
            throw new ShapeException("mlp", "MLP " + Arrays.toString(sizes) + " expects input [..., rows, "
                    + sizes[0] + "], got " + x.shape());
        }
        Tensor h = x;
        int p = 0;
        for (int l = 0; l < layers(); l++) {
            h = h.matmul(params.get(p++));
            if (bias) {
                h = h.add(params.get(p++));
            }
            h = (l == layers() - 1 ? output : hidden).apply(h);
        }
        return h;
    }

    /** Two MLPs are equal when their architectures are: sizes, activations and whether they have biases. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Mlp m && Arrays.equals(sizes, m.sizes) && hidden == m.hidden && output == m.output
                && bias == m.bias;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * Arrays.hashCode(sizes) + hidden.hashCode()) + output.hashCode()) + Boolean.hashCode(bias);
    }

    @Override
    public String toString() {
        return "Mlp" + Arrays.toString(sizes) + "(" + hidden.name().toLowerCase() + ", out "
                + output.name().toLowerCase() + (bias ? "" : ", no bias") + ")";
    }
}
