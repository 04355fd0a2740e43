package io.ml3spark.driver.train;

import io.ml3spark.experiments.Experiment;

/**
 * Replaces the experiment between outer iterations every {@link #every()} iterations, before the
 * first too (model-based RL refits its dynamics model on the policies phi trains). A refresh is
 * a function of the iteration and its phi, so a resumed run sees the experiments the
 * uninterrupted one saw; segments of iterations end where a refresh is due.
 */
public interface ExperimentRefresh {
    int every();

    /** The experiment for the iterations after {@code iteration}, whose phi is {@code phi}. */
    Experiment refreshed(int iteration, double[] phi, Experiment current);
}
