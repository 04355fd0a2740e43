package io.ml3spark.experiments.table;

import io.ml3spark.ml3.Seeds;

import java.util.SplittableRandom;

/**
 * A synthetic family of regression tasks for the table experiments: task t is a line
 * {@code y = w . x + b} in {@code features} inputs ({@code w ~ N(0, 1)}, {@code b ~ U(-1, 1)},
 * {@code x ~ U(-1, 1)}), observed with Gaussian noise of standard deviation {@code noise}, except
 * that a fraction {@code outlierFraction} of the rows carry a gross error of {@code +-outlierScale}
 * times a U(0.5, 1) factor instead.
 *
 * <p>Why a learned loss has something to learn here: from the few support rows of one inner step,
 * SGD on the MSE is pulled hard by any outlier among them (its gradient grows with the residual),
 * while a loss that flattens for large residuals, as Huber's does, fits the line. The outliers are
 * symmetric, so the query rows' MSE (the meta-objective) is lowest, in expectation, for the clean
 * line: meta-training can discover the robust shape without being told where the outliers are.
 */
public record OutlierLines(int features, int rows, double noise, double outlierFraction, double outlierScale)
        implements TaskFamily {
    public OutlierLines {
        if (features < 1 || rows < 1) {
            throw new IllegalArgumentException("features and rows must be >= 1, got " + features + " and " + rows);
        }
        if (!(noise >= 0) || !(outlierFraction >= 0 && outlierFraction <= 1) || !(outlierScale >= 0)
                || !Double.isFinite(noise) || !Double.isFinite(outlierScale)) {
            throw new IllegalArgumentException("noise >= 0, outlier fraction in [0, 1] and outlier scale >= 0, got "
                    + noise + ", " + outlierFraction + " and " + outlierScale);
        }
    }

    /** Task {@code task}'s line from {@code seed}: {@code {w_0, ..., w_{F-1}, b}}. */
    public double[] line(long seed, long task) {
        return line(new SplittableRandom(Seeds.derive(seed, task)));
    }

    private double[] line(SplittableRandom rng) {
        double[] line = new double[features + 1];
        for (int f = 0; f < features; f++) {
            line[f] = rng.nextGaussian();
        }
        line[features] = rng.nextDouble(-1, 1);
        return line;
    }

    /** Task {@code task}'s rows from {@code seed}, each {@code {x_0, ..., x_{F-1}, y}}; a function of its arguments alone. */
    @Override
    public double[][] rows(long seed, long task) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, task));
        double[] line = line(rng);
        double[][] out = new double[rows][features + 1];
        for (int r = 0; r < rows; r++) {
            double y = line[features];
            for (int f = 0; f < features; f++) {
                out[r][f] = rng.nextDouble(-1, 1);
                y += line[f] * out[r][f];
            }
            boolean outlier = rng.nextDouble() < outlierFraction;
            double error = outlier ? outlierScale * rng.nextDouble(0.5, 1) * (rng.nextBoolean() ? 1 : -1)
                    : noise * rng.nextGaussian();
            out[r][features] = y + error;
        }
        return out;
    }
}
