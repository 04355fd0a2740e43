package io.ml3spark.driver.dl4j;

import io.ml3spark.data.DataOpener;
import io.ml3spark.data.LabelledImages;
import io.ml3spark.experiments.table.FeatureScaling;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Images and labels for training a DL4J classifier: pixels scaled to [0, 1], row-major, and
 * labels 0..classes-1. Read from MNIST's IDX files or from a CSV of pixel values and a label
 * per line (the UCI 8x8 digits), on any path the opener reads.
 */
public record ClassificationData(int rows, int cols, int classes, double[][] pixels, int[] labels) {
    /** The built-in sets, by name: {@code mnist} (the 10k MNIST subset), {@code uci-digits}. */
    public static final List<String> BUILT_IN = List.of("mnist", "uci-digits");
    /** Every data set here is of digits: classes 0-9. */
    private static final int DIGITS = 10;

    public int count() {
        return labels.length;
    }

    /**
     * A set by name, {@code idx:IMAGES,LABELS} for MNIST-format files, or {@code csv:PATH} for a
     * CSV of 8x8 images (64 values, then the label; grey levels up to 16).
     */
    public static ClassificationData read(DataOpener opener, String spec) throws IOException {
        return switch (spec) {
            case "mnist" -> idx(opener, "classpath:data/mnist/mnist-10k-images-idx3-ubyte.gz",
                    "classpath:data/mnist/mnist-10k-labels-idx1-ubyte.gz");
            case "uci-digits" -> csv(opener, "classpath:data/uci/uci-optdigits-8x8.csv.gz", 8, 8, 16.0);
            default -> {
                if (spec.startsWith("idx:") && spec.indexOf(',') > 4) {
                    int comma = spec.indexOf(',');
                    yield idx(opener, spec.substring(4, comma), spec.substring(comma + 1));
                }
                if (spec.startsWith("csv:")) {
                    yield csv(opener, spec.substring(4), 8, 8, 16.0);
                }
                throw new IllegalArgumentException("unknown data '" + spec + "': one of " + BUILT_IN
                        + ", idx:IMAGES,LABELS or csv:PATH");
            }
        };
    }

    /**
     * A task of a classification table: its rows {@code {features..., class}}, the features
     * standardised by {@code scaling}, as examples of {@code 1 x features} (for the mlp).
     */
    public static ClassificationData ofTableRows(double[][] rows, FeatureScaling scaling, int classes) {
        int features = scaling.mean().length;
        double[][] x = new double[rows.length][];
        int[] y = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            double[] scaled = scaling.apply(rows[i]);
            x[i] = java.util.Arrays.copyOf(scaled, features);
            y[i] = (int) rows[i][features];
        }
        return new ClassificationData(1, features, classes, x, y);
    }

    private static ClassificationData idx(DataOpener opener, String images, String labels) throws IOException {
        LabelledImages d = LabelledImages.read(opener, images, labels, DIGITS);
        double[][] x = new double[d.count()][d.pixelsPerImage()];
        int[] y = new int[d.count()];
        for (int i = 0; i < d.count(); i++) {
            for (int p = 0; p < d.pixelsPerImage(); p++) {
                x[i][p] = d.pixel(i, p) / 255.0;
            }
            y[i] = d.label(i);
        }
        return new ClassificationData(d.rows(), d.cols(), DIGITS, x, y);
    }

    private static ClassificationData csv(DataOpener opener, String path, int rows, int cols, double maxValue)
            throws IOException {
        List<double[]> x = new ArrayList<>();
        List<Integer> y = new ArrayList<>();
        try (InputStream raw = opener.open(path);
             InputStream in = path.endsWith(".gz") ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int number = 0;
            while ((line = r.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String[] f = line.split(",");
                if (f.length != rows * cols + 1) {
                    throw new IOException(path + " line " + number + ": " + f.length + " values, expected "
                            + (rows * cols + 1) + " (" + rows * cols + " pixels, then the label)");
                }
                double[] pixels = new double[rows * cols];
                try {
                    for (int p = 0; p < pixels.length; p++) {
                        double v = Double.parseDouble(f[p].trim());
                        if (!Double.isFinite(v)) {
                            throw new IOException(path + " line " + number + ": value " + (p + 1) + " is " + f[p].trim()
                                    + ", expected a finite grey level");
                        }
                        pixels[p] = v / maxValue;
                    }
                    int label = Integer.parseInt(f[pixels.length].trim());
                    if (label < 0 || label >= DIGITS) {
                        throw new IOException(path + " line " + number + ": label " + label + " is not a class 0-"
                                + (DIGITS - 1));
                    }
                    y.add(label);
                } catch (NumberFormatException e) {
                    throw new IOException(path + " line " + number + ": not a number (" + e.getMessage() + ")");
                }
                x.add(pixels);
            }
        }
        if (x.isEmpty()) {
            throw new IOException(path + ": no images");
        }
        return new ClassificationData(rows, cols, DIGITS, x.toArray(new double[0][]), y.stream().mapToInt(i -> i).toArray());
    }

    /** Examples {@code [from, to)} as one DataSet: features {@code [n, rows * cols]}, one-hot labels. */
    public DataSet slice(int from, int to) {
        int n = to - from;
        int d = rows * cols;
        float[] features = new float[n * d];
        float[] oneHot = new float[n * classes];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < d; p++) {
                features[i * d + p] = (float) pixels[from + i][p];
            }
            oneHot[i * classes + labels[from + i]] = 1f;
        }
        return new DataSet(Nd4j.create(features, new long[] {n, d}, 'c'), Nd4j.create(oneHot, new long[] {n, classes}, 'c'));
    }

    /** Minibatches of {@code size} over examples {@code [from, to)} (the last may be smaller). */
    public List<DataSet> minibatches(int from, int to, int size) {
        List<DataSet> out = new ArrayList<>();
        for (int b = from; b < to; b += size) {
            out.add(slice(b, Math.min(to, b + size)));
        }
        return out;
    }

    /** The same examples in an order drawn from {@code seed} (a file may be sorted by label). */
    public ClassificationData shuffled(long seed) {
        int[] order = java.util.stream.IntStream.range(0, count()).toArray();
        java.util.SplittableRandom rng = new java.util.SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double[][] x = new double[order.length][];
        int[] y = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            x[i] = pixels[order[i]];
            y[i] = labels[order[i]];
        }
        return new ClassificationData(rows, cols, classes, x, y);
    }
}
