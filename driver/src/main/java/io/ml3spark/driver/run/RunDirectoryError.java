package io.ml3spark.driver.run;

/** An output or input path that cannot be used; the message names the path. */
public final class RunDirectoryError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public RunDirectoryError(String message) {
        super(message);
    }
}
