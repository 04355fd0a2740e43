package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * Keeps non-finite meta-gradients out of phi: a group whose summed meta-gradient is NaN or
 * infinite is recomputed task by task, and the tasks that are still not finite are
 * skipped and counted instead of summed. The fast path (all finite) costs nothing extra.
 */
public final class FiniteMetaGradients {
    private FiniteMetaGradients() {
    }

    /** As {@link Experiment#metaGradient(Backend, List, long, long, int[])}, without non-finite tasks. */
    public static MetaGradient of(Experiment experiment, Backend backend, List<double[]> phis, long runSeed,
                                  long iteration, int[] taskIndices) {
        MetaGradient group = experiment.metaGradient(backend, phis, runSeed, iteration, taskIndices);
        if (group.isFinite()) {
            return group;
        }
        int size = phis.get(phis.size() - 1).length;
        MetaGradient result = MetaGradient.zero(size);
        for (int index : taskIndices) {
            MetaGradient one = taskIndices.length == 1 ? group
                    : experiment.metaGradient(backend, phis, runSeed, iteration, new int[] {index});
            result = result.plus(one.isFinite() ? one : MetaGradient.skipped(size, 1));
        }
        return result;
    }

    /** The same for an experiment's single meta-update per iteration. */
    public static MetaGradient of(Experiment experiment, Backend backend, double[] phi, long runSeed, long iteration,
                                  int[] taskIndices) {
        return of(experiment, backend, List.of(phi), runSeed, iteration, taskIndices);
    }
}
