package io.ml3spark.ml3;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one Spark task returns and the driver tree-aggregates: the sum of its tasks'
 * meta-gradients dL/dphi, how many tasks, and statistics of their task losses after the
 * inner loop. Associative and commutative up to float rounding ({@link #plus}).
 */
public record MetaGradient(double[] gradientSum, long tasks, double taskLossSum, double taskLossMax)
        implements Serializable {

    public static MetaGradient zero(int size) {
        return new MetaGradient(new double[size], 0, 0.0, Double.NEGATIVE_INFINITY);
    }

    /** The meta-gradient of tasks with the given task losses after the inner loop. */
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
                Math.max(taskLossMax, other.taskLossMax));
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
                && Double.compare(taskLossSum, g.taskLossSum) == 0 && Double.compare(taskLossMax, g.taskLossMax) == 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gradientSum) * 31 + Long.hashCode(tasks);
    }

    @Override
    public String toString() {
        return "MetaGradient(tasks=" + tasks + ", meanTaskLoss=" + (tasks > 0 ? meanTaskLoss() : Double.NaN) + ")";
    }
}
