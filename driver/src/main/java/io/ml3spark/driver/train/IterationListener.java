package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradient;

/** Told about every finished outer iteration (metrics file, progress output). */
@FunctionalInterface
public interface IterationListener {
    /**
     * @param iteration 1-based index of the finished iteration
     * @param gradient  the iteration's aggregated meta-gradient (task count, losses, skipped tasks)
     * @param applied   whether Adam stepped; false when no task gave a finite meta-gradient
     * @param seconds   wall time of this process's training so far
     */
    void iterationDone(int iteration, MetaGradient gradient, boolean applied, double seconds);
}
