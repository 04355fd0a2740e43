package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradient;

/**
 * {@code meta-train.keep = best}: follows the phi whose meta-gradient reported the lowest mean
 * task loss. The loss an iteration reports is that of the phi it started from (before its
 * first update), so the candidate is the phi after the previous iteration.
 */
final class KeepBest {
    private TrainingState.Best best;

    KeepBest(TrainingState.Best start) {
        this.best = start;
    }

    /** Considers {@code phi}, the phi after {@code iteration} iterations, which {@code g} evaluated. */
    void consider(int iteration, double[] phi, MetaGradient g) {
        if (g.tasks() > 0) {
            best = TrainingState.Best.of(best, iteration, g.meanTaskLoss(), phi);
        }
    }

    TrainingState.Best best() {
        return best;
    }
}
