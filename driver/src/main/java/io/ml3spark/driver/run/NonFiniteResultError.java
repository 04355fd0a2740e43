package io.ml3spark.driver.run;

/** A run whose result (phi, or a meta-test loss) is NaN or infinite: a failure, and nothing non-finite is saved. */
public final class NonFiniteResultError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NonFiniteResultError(String message) {
        super(message);
    }
}
