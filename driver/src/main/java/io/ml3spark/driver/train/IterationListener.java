package io.ml3spark.driver.train;

/** Told about every finished outer iteration (metrics file, progress output). */
@FunctionalInterface
public interface IterationListener {
    /**
     * @param iteration  1-based index of the finished iteration
     * @param taskLoss   mean task loss after the inner loop over the iteration's tasks
     * @param tasks      ML3 tasks computed in the iteration
     * @param seconds    wall time since training started
     */
    void iterationDone(int iteration, double taskLoss, long tasks, double seconds);
}
