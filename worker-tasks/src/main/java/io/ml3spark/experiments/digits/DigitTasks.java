package io.ml3spark.experiments.digits;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.data.LabelledImages;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * MNIST as a family of classification tasks. Each digit's images are split into a train
 * half and a test half with a fixed seed; a task is a tuple of digits (a pair for the
 * binary experiment, all ten for the 10-class one) whose examples are labelled by their
 * digit's position in the tuple. Pixels are scaled to [0, 1] and standardised with
 * MNIST's mean and standard deviation (0.1307, 0.3081), as in PyTorch's MNIST example.
 */
public final class DigitTasks {
    static final double MEAN = 0.1307;
    static final double STD = 0.3081;
    private static final long SPLIT = 1;
    private static final long ORDER = 2;

    private final LabelledImages all;
    private final long splitSeed;

    public DigitTasks(LabelledImages all, long splitSeed) {
        this.all = all;
        this.splitSeed = splitSeed;
    }

    /** The examples of one half of a task: images and their class index within the task. */
    public record Examples(LabelledImages images, int classes) implements Serializable {
        public int count() {
            return images.count();
        }

        /** {@code perTask} examples for each task, drawn with replacement from {@code seeds[t]} alone. */
        public TaskBatch sample(Backend backend, long[] seeds, int perTask) {
            int[][] picks = new int[seeds.length][perTask];
            for (int t = 0; t < seeds.length; t++) {
                SplittableRandom rng = new SplittableRandom(seeds[t]);
                for (int i = 0; i < perTask; i++) {
                    picks[t][i] = rng.nextInt(count());
                }
            }
            return batch(backend, picks);
        }

        /** The first {@code count} examples (at most all), the same for each of {@code tasks} tasks. */
        public TaskBatch first(Backend backend, int count, int tasks) {
            int n = Math.min(count, count());
            int[][] picks = new int[tasks][n];
            for (int[] p : picks) {
                for (int i = 0; i < n; i++) {
                    p[i] = i;
                }
            }
            return batch(backend, picks);
        }

        private TaskBatch batch(Backend backend, int[][] picks) {
            int tasks = picks.length;
            int n = picks[0].length;
            int size = images.pixelsPerImage();
            double[] x = new double[tasks * n * size];
            double[] y = new double[tasks * n * classes];
            for (int t = 0; t < tasks; t++) {
                for (int i = 0; i < n; i++) {
                    int row = t * n + i;
                    int e = picks[t][i];
                    for (int p = 0; p < size; p++) {
                        x[row * size + p] = (images.pixel(e, p) / 255.0 - MEAN) / STD;
                    }
                    y[row * classes + images.label(e)] = 1.0;
                }
            }
            return new TaskBatch(Tensor.constant(backend, x, tasks, n, size), Tensor.constant(backend, y, tasks, n, classes));
        }
    }

    /** A classification task over {@code digits}, with its train and test halves (each in a seeded random order). */
    public record DigitTask(int[] digits, Examples train, Examples test) implements Serializable {
        public String describe() {
            StringBuilder b = new StringBuilder("(");
            for (int i = 0; i < digits.length; i++) {
                b.append(i > 0 ? ", " : "").append(digits[i]);
            }
            return b.append(')').toString();
        }
    }

    public DigitTask task(int... digits) {
        List<Integer> train = new ArrayList<>();
        List<Integer> test = new ArrayList<>();
        for (int d : digits) {
            List<Integer> of = all.indicesOf(d);
            if (of.size() < 2) {
                throw new IllegalArgumentException("digit " + d + " has " + of.size() + " images, at least 2 needed");
            }
            int[] shuffled = shuffle(of, Seeds.derive(splitSeed, SPLIT, d));
            for (int i = 0; i < shuffled.length; i++) {
                (i < shuffled.length / 2 ? train : test).add(shuffled[i]);
            }
        }
        long order = Seeds.derive(splitSeed, ORDER, java.util.Arrays.hashCode(digits));
        return new DigitTask(digits.clone(), examples(shuffle(train, order), digits),
                examples(shuffle(test, order + 1), digits));
    }

    private Examples examples(int[] indices, int[] digits) {
        LabelledImages subset = all.subset(indices);
        byte[] labels = subset.labels();
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) position(digits, labels[i] & 0xff);
        }
        return new Examples(subset, digits.length);
    }

    private static int position(int[] digits, int digit) {
        for (int i = 0; i < digits.length; i++) {
            if (digits[i] == digit) {
                return i;
            }
        }
        throw new IllegalStateException("digit " + digit + " is not in the task");
    }

    /** The digits 0..9 in a random order drawn from {@code seed}. */
    public static int[] permutedDigits(long seed) {
        List<Integer> digits = new ArrayList<>();
        for (int d = 0; d < 10; d++) {
            digits.add(d);
        }
        return shuffle(digits, seed);
    }

    private static int[] shuffle(List<Integer> values, long seed) {
        int[] a = values.stream().mapToInt(Integer::intValue).toArray();
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
        return a;
    }
}
