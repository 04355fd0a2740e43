package io.ml3spark.nn;

import io.ml3spark.autodiff.Convolution;
import io.ml3spark.autodiff.Dropout;
import io.ml3spark.autodiff.MaxPooling;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The LeNet-style digit classifier of the ML3 reference code (PyTorch's MNIST example):
 * conv 5x5 with 10 channels, max-pool 2, relu; conv 5x5 with 20 channels, dropout, max-pool
 * 2, relu; dense to 50, relu, dropout; dense to the classes. Functional like {@link Mlp}:
 * parameters are passed in, each with a leading task dimension. Images are channels-first,
 * as in PyTorch, so the flattened features are ordered (channel, row, column).
 *
 * <p>Parameters: kernel 1 {@code [T, 10, 1, 5, 5]}, bias 1 {@code [T, 1, 10, 1, 1]},
 * kernel 2 {@code [T, 20, 10, 5, 5]}, bias 2 {@code [T, 1, 20, 1, 1]}, dense weights
 * {@code [T, features, 50]}, {@code [T, 1, 50]}, {@code [T, 50, classes]}, {@code [T, 1, classes]};
 * all drawn as PyTorch's defaults, U(-1/sqrt(fan_in), 1/sqrt(fan_in)).
 */
public final class LeNet implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final int KERNEL = 5;
    private static final int POOL = 2;
    private static final int CHANNELS1 = 10;
    private static final int CHANNELS2 = 20;
    private static final int HIDDEN = 50;

    private final int rows;
    private final int cols;
    private final int classes;
    private final double dropout;
    private final int featureRows;
    private final int featureCols;

    public LeNet(int rows, int cols, int classes, double dropout) {
        this.featureRows = featureSize(rows);
        this.featureCols = featureSize(cols);
        if (featureRows < 1 || featureCols < 1) {
            throw new IllegalArgumentException("LeNet needs image sides s with s - 4 even and (s - 4) / 2 - 4 even and"
                    + " positive (28 is), got " + rows + "x" + cols);
        }
        if (classes < 2) {
            throw new IllegalArgumentException("a classifier needs at least 2 classes, got " + classes);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + dropout);
        }
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
        this.dropout = dropout;
    }

    /** The side of the feature map after both conv-pool stages, or 0 where pooling would not divide evenly. */
    private static int featureSize(int side) {
        int conv1 = side - KERNEL + 1;
        int conv2 = conv1 / POOL - KERNEL + 1;
        return conv1 > 0 && conv1 % POOL == 0 && conv2 > 0 && conv2 % POOL == 0 ? conv2 / POOL : 0;
    }

    public int classes() {
        return classes;
    }

    /** Features entering the first dense layer (320 for 28x28 images). */
    public int features() {
        return featureRows * featureCols * CHANNELS2;
    }

    /** The parameters' names, in the order of {@link #parameterShapes}. */
    public static final List<String> PARAMETER_NAMES = List.of("conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias",
            "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");

    /** The named parameters of {@code tasks} networks (leading dimension). */
    public List<Parameter> parameters(int tasks) {
        List<Shape> shapes = parameterShapes(tasks);
        List<Parameter> named = new ArrayList<>(shapes.size());
        for (int i = 0; i < shapes.size(); i++) {
            named.add(new Parameter(PARAMETER_NAMES.get(i), shapes.get(i)));
        }
        return named;
    }

    public List<Shape> parameterShapes(int tasks) {
        return List.of(
                Shape.of(tasks, CHANNELS1, 1, KERNEL, KERNEL), Shape.of(tasks, 1, CHANNELS1, 1, 1),
                Shape.of(tasks, CHANNELS2, CHANNELS1, KERNEL, KERNEL), Shape.of(tasks, 1, CHANNELS2, 1, 1),
                Shape.of(tasks, features(), HIDDEN), Shape.of(tasks, 1, HIDDEN),
                Shape.of(tasks, HIDDEN, classes), Shape.of(tasks, 1, classes));
    }

    /** Fresh parameters, task t's drawn from {@code seeds[t]} alone. */
    public List<Tensor> initializeBatch(Backend backend, long[] seeds) {
        int[] fanIn = {KERNEL * KERNEL, KERNEL * KERNEL * CHANNELS1, features(), HIDDEN};
        List<Shape> shapes = parameterShapes(seeds.length);
        List<double[]> values = new ArrayList<>();
        for (Shape s : shapes) {
            values.add(new double[s.size()]);
        }
        for (int t = 0; t < seeds.length; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            for (int i = 0; i < shapes.size(); i++) {
                int per = shapes.get(i).size() / seeds.length;
                double[] one = new double[per];
                Init.uniform(rng, 1.0 / Math.sqrt(fanIn[i / 2]), one);
                System.arraycopy(one, 0, values.get(i), t * per, per);
            }
        }
        List<Tensor> params = new ArrayList<>();
        for (int i = 0; i < shapes.size(); i++) {
            params.add(Tensor.variable(backend.fromArray(shapes.get(i), values.get(i))));
        }
        return params;
    }

    /**
     * Class scores (logits) {@code [T, N, classes]} for images {@code [T, N, rows * cols]}.
     * With {@code dropoutSeeds} (one per task) the two dropout layers are on, their masks
     * drawn from those seeds; with null the network runs as at evaluation, without dropout.
     */
    public Tensor forward(List<Tensor> params, Tensor images, long[] dropoutSeeds) {
        Shape s = images.shape();
        if (params.size() != PARAMETER_NAMES.size()) {
            throw new IllegalArgumentException("LeNet takes " + PARAMETER_NAMES.size() + " parameter tensors "
                    + PARAMETER_NAMES + ", got " + params.size());
        }
        if (s.rank() != 3 || s.dim(2) != rows * cols) {
            throw new ShapeException("lenet", "LeNet expects images [T, N, " + rows * cols + "], got " + s);
        }
        int t = s.dim(0);
        int n = s.dim(1);
        long[][] layerSeeds = dropoutSeeds == null ? null : layerSeeds(dropoutSeeds);
        Tensor h = images.reshape(t, n, 1, rows, cols);
        h = Convolution.conv2d(h, param(params, "conv1.weight")).add(param(params, "conv1.bias"));
        h = MaxPooling.maxPool2d(h, POOL).relu();
        h = Convolution.conv2d(h, param(params, "conv2.weight")).add(param(params, "conv2.bias"));
        if (layerSeeds != null) {
            h = Dropout.apply(h, dropout, layerSeeds[0]);
        }
        h = MaxPooling.maxPool2d(h, POOL).relu().reshape(t, n, features());
        h = h.matmul(param(params, "fc1.weight")).add(param(params, "fc1.bias")).relu();
        if (layerSeeds != null) {
            h = Dropout.apply(h, dropout, layerSeeds[1]);
        }
        return h.matmul(param(params, "fc2.weight")).add(param(params, "fc2.bias"));
    }

    private static Tensor param(List<Tensor> params, String name) {
        return params.get(PARAMETER_NAMES.indexOf(name));
    }

    private static long[][] layerSeeds(long[] seeds) {
        long[][] out = new long[2][seeds.length];
        for (int t = 0; t < seeds.length; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            out[0][t] = rng.nextLong();
            out[1][t] = rng.nextLong();
        }
        return out;
    }

    @Override
    public String toString() {
        return "LeNet(" + rows + "x" + cols + " -> " + classes + ", dropout " + dropout + ")";
    }
}
