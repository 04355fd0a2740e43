package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

import java.util.Arrays;
import java.util.List;

/**
 * The core's meta-gradient of a group of a problem's tasks, what every Spark task of
 * meta-training computes: the problem's sampler draws the tasks, its estimator differentiates them.
 */
public final class MetaGradients {
    private MetaGradients() {
    }

    /**
     * The summed meta-gradient of the listed tasks for update {@code phis.size() - 1} of outer
     * iteration {@code iteration}; {@code phis.get(u)} is the phi that update u used, the last
     * one the current phi.
     */
    public static MetaGradient of(MetaLearningProblem problem, Backend backend, List<double[]> phis, long runSeed,
                                  long iteration, int[] taskIndices) {
        return problem.estimator().estimate(backend, problem.learnedLoss(), phis,
                problem.tasks(backend, runSeed, iteration, taskIndices));
    }

    /** The same for an iteration's first (usually only) meta-update. */
    public static MetaGradient of(MetaLearningProblem problem, Backend backend, double[] phi, long runSeed, long iteration,
                                  int[] taskIndices) {
        return of(problem, backend, List.of(phi), runSeed, iteration, taskIndices);
    }

    /**
     * As {@link #of(MetaLearningProblem, Backend, List, long, long, int[])}, computed {@code tasksPerBlock}
     * tasks at a time in index order and summed block by block. A batch's intermediate arrays grow
     * with its tasks; past a few tasks they outgrow the CPU's caches (and G1's regions), and
     * throughput falls (docs/performance.md). The sum's rounding depends on the block size.
     */
    public static MetaGradient of(MetaLearningProblem problem, Backend backend, List<double[]> phis, long runSeed,
                                  long iteration, int[] taskIndices, int tasksPerBlock) {
        if (tasksPerBlock < 1) {
            throw new IllegalArgumentException("tasks per block must be at least 1, got " + tasksPerBlock);
        }
        if (taskIndices.length <= tasksPerBlock) {
            return of(problem, backend, phis, runSeed, iteration, taskIndices);
        }
        MetaGradient sum = null;
        for (int from = 0; from < taskIndices.length; from += tasksPerBlock) {
            int[] block = Arrays.copyOfRange(taskIndices, from, Math.min(taskIndices.length, from + tasksPerBlock));
            MetaGradient part = of(problem, backend, phis, runSeed, iteration, block);
            sum = sum == null ? part : sum.plus(part);
        }
        return sum;
    }

    /**
     * As {@link #of(MetaLearningProblem, Backend, List, long, long, int[], int)}, keeping non-finite
     * meta-gradients out of phi: a group whose sum is NaN or infinite is recomputed task by
     * task, and the tasks that are still not finite are skipped and counted instead of
     * summed. The fast path (all finite) costs nothing extra.
     */
    public static MetaGradient finite(MetaLearningProblem problem, Backend backend, List<double[]> phis, long runSeed,
                                      long iteration, int[] taskIndices, int tasksPerBlock) {
        MetaGradient group = of(problem, backend, phis, runSeed, iteration, taskIndices, tasksPerBlock);
        if (group.isFinite()) {
            return group;
        }
        int size = phis.get(phis.size() - 1).length;
        MetaGradient result = MetaGradient.zero(size);
        for (int index : taskIndices) {
            MetaGradient one = taskIndices.length == 1 ? group
                    : of(problem, backend, phis, runSeed, iteration, new int[] {index});
            result = result.plus(one.isFinite() ? one : MetaGradient.skipped(size, 1));
        }
        return result;
    }

    /** The same for an iteration's first meta-update. */
    public static MetaGradient finite(MetaLearningProblem problem, Backend backend, double[] phi, long runSeed,
                                      long iteration, int[] taskIndices, int tasksPerBlock) {
        return finite(problem, backend, List.of(phi), runSeed, iteration, taskIndices, tasksPerBlock);
    }
}
