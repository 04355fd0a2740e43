package io.ml3spark.ml3;

import java.io.Serializable;
import java.util.Arrays;

/**
 * What one Spark task returns and the driver tree-aggregates: the sum of its tasks'
 * meta-gradients dL/dphi, how many tasks, and statistics of their task losses after the
 * inner loop, how many tasks were skipped because their meta-gradient was not finite, and
 * the directions of phi the update must not move along ({@link HeldDirections}; usually none).
 * Associative and commutative up to float rounding and the order of held directions ({@link #plus}).
 */
public record MetaGradient(double[] gradientSum, long tasks, double taskLossSum, double taskLossMax,
                           long skippedTasks, double[][] heldDirections) implements Serializable {
    private static final double[][] NONE = new double[0][];

    public MetaGradient(double[] gradientSum, long tasks, double taskLossSum, double taskLossMax, long skippedTasks) {
        this(gradientSum, tasks, taskLossSum, taskLossMax, skippedTasks, NONE);
    }

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
        for (double[] d : heldDirections) {
            for (double v : d) {
                if (!Double.isFinite(v)) {
                    return false;
                }
            }
        }
        return Double.isFinite(taskLossSum) && (tasks == 0 || Double.isFinite(taskLossMax));
    }

    /** The counts and task-loss statistics without the gradient sum and held directions (what progress and metrics need). */
    public MetaGradient statistics() {
        return new MetaGradient(new double[0], tasks, taskLossSum, taskLossMax, skippedTasks, NONE);
    }

    /** This meta-gradient, with {@code direction} added to the directions the update must hold. */
    public MetaGradient holding(double[] direction) {
        if (direction.length != gradientSum.length) {
            throw new IllegalArgumentException("a held direction of size " + direction.length + " for phi of size "
                    + gradientSum.length);
        }
        double[][] held = Arrays.copyOf(heldDirections, heldDirections.length + 1);
        held[heldDirections.length] = direction.clone();
        return new MetaGradient(gradientSum, tasks, taskLossSum, taskLossMax, skippedTasks, held);
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
        double[][] held = Arrays.copyOf(heldDirections, heldDirections.length + other.heldDirections.length);
        System.arraycopy(other.heldDirections, 0, held, heldDirections.length, other.heldDirections.length);
        return new MetaGradient(sum, tasks + other.tasks, taskLossSum + other.taskLossSum,
                Math.max(taskLossMax, other.taskLossMax), skippedTasks + other.skippedTasks, held);
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
                && skippedTasks == g.skippedTasks && Arrays.deepEquals(heldDirections, g.heldDirections);
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
