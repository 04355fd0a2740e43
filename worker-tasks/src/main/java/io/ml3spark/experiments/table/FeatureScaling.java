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

    /**
     * Running sums of the rows of meta-train tasks, added to in place (one per Spark partition,
     * as {@code RDD.aggregate} gives each its own copy) and merged across partitions.
     */
    public static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;

        private long count;
        private final double[] sum;
        private final double[] squares;

        public Sums(int features) {
            this.sum = new double[features];
            this.squares = new double[features];
        }

        /** Adds {@code row}'s first values, its features; returns these sums. */
        public Sums add(double[] row) {
            for (int f = 0; f < sum.length; f++) {
                sum[f] += row[f];
                squares[f] += row[f] * row[f];
            }
            count++;
            return this;
        }

        /** Adds {@code other}'s rows; returns these sums. */
        public Sums merge(Sums other) {
            for (int f = 0; f < sum.length; f++) {
                sum[f] += other.sum[f];
                squares[f] += other.squares[f];
            }
            count += other.count;
            return this;
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
