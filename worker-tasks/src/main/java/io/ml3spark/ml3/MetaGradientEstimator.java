package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * How the meta-gradient of a batch of tasks is estimated from their {@link InnerProblem}: by
 * backpropagation through the inner steps ({@link UnrolledBackprop}), with a meta-update after
 * every inner step ({@link PerStepReplay}), from objective values alone
 * ({@link EvolutionStrategyEstimator}), or from a fixed-point objective with held directions
 * ({@code control.FixedPoint}). The core calls {@link #estimate(Backend, LearnedLoss, List, TaskGroup)}
 * for every group of tasks of every meta-update.
 */
public interface MetaGradientEstimator extends Serializable {
    /** The summed meta-gradient of the problem's tasks at {@code phi}; {@code noiseSeed} feeds an estimator that samples. */
    MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed);

    /** Meta-updates (Adam steps on phi) per outer iteration: 1 unless phi is updated after every inner step. */
    default int updatesPerIteration() {
        return 1;
    }

    /**
     * The summed meta-gradient of update {@code phis.size() - 1} of an outer iteration on
     * {@code group}; {@code phis.get(u)} is the phi that update u of the iteration used, the
     * last one the current phi.
     */
    default MetaGradient estimate(Backend backend, LearnedLoss loss, List<double[]> phis, TaskGroup group) {
        checkUpdate(phis, updatesPerIteration());
        return estimate(backend, loss, phis.get(0), group.problem(), 0L);
    }

    /** Refuses an update past the iteration's last. */
    static void checkUpdate(List<double[]> phis, int updatesPerIteration) {
        if (phis.isEmpty() || phis.size() > updatesPerIteration) {
            throw new IllegalArgumentException("update " + (phis.size() - 1) + " of an outer iteration with "
                    + updatesPerIteration + (updatesPerIteration == 1 ? " meta-update" : " meta-updates"));
        }
    }
}
