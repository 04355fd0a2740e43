package io.ml3spark.experiments.table;

import io.ml3spark.ml3.Seeds;

import java.util.SplittableRandom;

/**
 * A synthetic family of classification tasks for the table experiments: task t draws a linear
 * score per class ({@code w_k ~ N(0, 1)}, {@code b_k ~ U(-0.5, 0.5)}) over {@code features}
 * inputs {@code x ~ U(-1, 1)}; a row's class is the highest score's, except that a fraction
 * {@code flipFraction} of the rows carry a uniformly drawn other class instead.
 *
 * <p>Why a learned loss has something to learn here: the NLL's gradient is largest for the rows
 * the classifier confidently gets "wrong", which after a few steps are mostly the flipped ones, so
 * from a few support rows SGD on the NLL chases the noise; a loss that gives up on confidently
 * contradicted rows fits the boundaries the clean query rows are scored by.
 */
public record FlippedLabels(int features, int rows, int classes, double flipFraction) implements TaskFamily {
    public FlippedLabels {
        if (features < 1 || rows < 1 || classes < 2) {
            throw new IllegalArgumentException("features and rows must be >= 1 and classes >= 2, got " + features + ", "
                    + rows + " and " + classes);
        }
        if (!(flipFraction >= 0 && flipFraction <= 1)) {
            throw new IllegalArgumentException("the flip fraction must lie in [0, 1], got " + flipFraction);
        }
    }

    @Override
    public double[][] rows(long seed, long task) {
        SplittableRandom rng = new SplittableRandom(Seeds.derive(seed, task));
        double[][] w = new double[classes][features + 1];
        for (double[] k : w) {
            for (int f = 0; f < features; f++) {
                k[f] = rng.nextGaussian();
            }
            k[features] = rng.nextDouble(-0.5, 0.5);
        }
        double[][] out = new double[rows][features + 1];
        for (int r = 0; r < rows; r++) {
            for (int f = 0; f < features; f++) {
                out[r][f] = rng.nextDouble(-1, 1);
            }
            int best = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                double score = w[k][features];
                for (int f = 0; f < features; f++) {
                    score += w[k][f] * out[r][f];
                }
                if (score > bestScore) {
                    bestScore = score;
                    best = k;
                }
            }
            if (rng.nextDouble() < flipFraction) {
                best = (best + 1 + rng.nextInt(classes - 1)) % classes;
            }
            out[r][features] = best;
        }
        return out;
    }
}
