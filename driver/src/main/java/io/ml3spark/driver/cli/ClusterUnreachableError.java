package io.ml3spark.driver.cli;

/** A Spark master (or other cluster service) that cannot be reached; the message names it. */
public final class ClusterUnreachableError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ClusterUnreachableError(String message) {
        super(message);
    }
}
