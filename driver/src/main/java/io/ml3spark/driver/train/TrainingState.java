package io.ml3spark.driver.train;

/**
 * Everything the outer loop needs to continue after {@code iteration} completed
 * iterations: phi and Adam's state. Task randomness is derived from (run seed, iteration,
 * task index), so no generator state is needed beyond the run seed kept in the config.
 */
public record TrainingState(int iteration, double[] phi, Adam.State adam) {
}
