package io.ml3spark.ml3;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one Spark task returns and the driver tree-aggregates: the sum of its tasks'
 * meta-gradients dL/dphi, how many tasks, and statistics of their task losses after the
 * inner loop, and how many tasks were skipped because their meta-gradient was not finite.
 * Associative and commutative up to float rounding ({@link #plus}).
 */
public record MetaGradient(double[] gradientSum, long tasks, double taskLossSum, double taskLossMax,
                           long skippedTasks) implements Serializable {

    public MetaGradient(double[] gradientSum, long tasks, double taskLossSum, double taskLossMax) {
        this(gradientSum, tasks, taskLossSum, taskLossMax, 0);
    }

    public static MetaGradient zero(int size) {
        return new MetaGradient(new double[size], 0, 0.0, Double.NEGATIVE_INFINITY, 0);
    }

    /** Only skipped tasks, none counted. */
    public static MetaGradient skipped(int size, long skipped) {
        return new MetaGradient(new double[size], 0, 0.0, Double.NEGATIVE_INFINITY, skipped);
    }

    /** True if the gradient sum and the loss statistics are all finite numbers. */
    public boolean isFinite() {
        for (double v : gradientSum) {
            if (!Double.isFinite(v)) {
                return false;
            }
        }
        return Double.isFinite(taskLossSum) && (tasks == 0 || Double.isFinite(taskLossMax));
    }

    /** The meta-gradient sum of tasks whose task losses after the inner loop were {@code taskLosses}. */
    public static MetaGradient of(double[] gradientSum, double[] taskLosses) {
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (double l : taskLosses) {
            sum += l;
            max = Math.max(max, l);
        }
        return new MetaGradient(gradientSum, taskLosses.length, sum, max);
    }

    public MetaGradient plus(MetaGradient other) {
        if (other.gradientSum.length != gradientSum.length) {
            throw new IllegalArgumentException("meta-gradients of different sizes: " + gradientSum.length
                    + " and " + other.gradientSum.length);
        }
        double[] sum = gradientSum.clone();
        for (int i = 0; i < sum.length; i++) {
            sum[i] += other.gradientSum[i];
        }
        return new MetaGradient(sum, tasks + other.tasks, taskLossSum + other.taskLossSum,
                Math.max(taskLossMax, other.taskLossMax), skippedTasks + other.skippedTasks);
    }

    /** The average meta-gradient over the tasks. */
    public double[] mean() {
        if (tasks == 0) {
            throw new IllegalStateException("no tasks were aggregated");
        }
        double[] m = gradientSum.clone();
        for (int i = 0; i < m.length; i++) {
            m[i] /= tasks;
        }
        return m;
    }

    public double meanTaskLoss() {
        return taskLossSum / tasks;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MetaGradient g && tasks == g.tasks && Arrays.equals(gradientSum, g.gradientSum)
                && Double.compare(taskLossSum, g.taskLossSum) == 0 && Double.compare(taskLossMax, g.taskLossMax) == 0
                && skippedTasks == g.skippedTasks;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gradientSum) * 31 + Long.hashCode(tasks);
    }

    @Override
    public String toString() {
        return "MetaGradient(tasks=" + tasks + ", skipped=" + skippedTasks + ", meanTaskLoss="
                + (tasks > 0 ? meanTaskLoss() : Double.NaN) + ")";
    }
}
