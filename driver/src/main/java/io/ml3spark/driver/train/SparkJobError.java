package io.ml3spark.driver.train;

/**
 * Spark could not run the work for a reason the user can act on: its master does not
 * answer, or a Spark task ran out of memory. The message says which, and what to change.
 */
public final class SparkJobError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public SparkJobError(String message) {
        super(message);
    }
}
