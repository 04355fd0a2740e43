package io.ml3spark.experiments;

import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.backend.Backend;

/**
 * Keeps non-finite meta-gradients out of phi: a group whose summed meta-gradient is NaN or
 * infinite is recomputed task by task, and the tasks that are still not finite are
 * skipped and counted instead of summed. The fast path (all finite) costs nothing extra.
 */
public final class FiniteMetaGradients {
    private FiniteMetaGradients() {
    }

    public static MetaGradient of(Experiment experiment, Backend backend, double[] phi, long runSeed, long iteration,
                                  int[] taskIndices) {
        MetaGradient group = experiment.metaGradient(backend, phi, runSeed, iteration, taskIndices);
        if (group.isFinite()) {
            return group;
        }
        MetaGradient result = MetaGradient.zero(phi.length);
        for (int index : taskIndices) {
            MetaGradient one = taskIndices.length == 1 ? group
                    : experiment.metaGradient(backend, phi, runSeed, iteration, new int[] {index});
            result = result.plus(one.isFinite() ? one : MetaGradient.skipped(phi.length, 1));
        }
        return result;
    }
}
