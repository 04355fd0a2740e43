package io.ml3spark.experiments.table;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The standardisation of a table's features, {@code (x - mean) / std} per column, with statistics
 * from the meta-train tasks only, so that nothing of a meta-test task shapes what meta-training
 * sees. A run stores them, so a user of its learned loss can standardise the same way.
 */
public record FeatureScaling(double[] mean, double[] std) implements Serializable {
    public FeatureScaling {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("one mean and one standard deviation per feature");
        }
        mean = mean.clone();
        std = std.clone();
    }

    /** Running sums of the rows of meta-train tasks, to merge across partitions. */
    public record Sums(long count, double[] sum, double[] squares) implements Serializable {
        public static Sums empty(int features) {
            return new Sums(0, new double[features], new double[features]);
        }

        /** These sums with {@code row}'s first {@code sum.length} values (its features) added. */
        public Sums plus(double[] row) {
            double[] s = sum.clone();
            double[] q = squares.clone();
            for (int f = 0; f < s.length; f++) {
                s[f] += row[f];
                q[f] += row[f] * row[f];
            }
            return new Sums(count + 1, s, q);
        }

        public Sums plus(Sums other) {
            double[] s = sum.clone();
            double[] q = squares.clone();
            for (int f = 0; f < s.length; f++) {
                s[f] += other.sum[f];
                q[f] += other.squares[f];
            }
            return new Sums(count + other.count, s, q);
        }

        /** The scaling of these rows; a constant feature keeps a standard deviation of 1 (it is only centred). */
        public FeatureScaling scaling() {
            if (count < 1) {
                throw new IllegalArgumentException("no meta-train rows to standardise with");
            }
            double[] mean = new double[sum.length];
            double[] std = new double[sum.length];
            for (int f = 0; f < mean.length; f++) {
                mean[f] = sum[f] / count;
                double variance = Math.max(0, squares[f] / count - mean[f] * mean[f]);
                std[f] = variance > 1e-24 ? Math.sqrt(variance) : 1;
            }
            return new FeatureScaling(mean, std);
        }
    }

    /** {@code row} with its features standardised and the rest (the label) as it is. */
    public double[] apply(double[] row) {
        double[] out = Arrays.copyOf(row, row.length);
        for (int f = 0; f < mean.length; f++) {
            out[f] = (row[f] - mean[f]) / std[f];
        }
        return out;
    }
}
