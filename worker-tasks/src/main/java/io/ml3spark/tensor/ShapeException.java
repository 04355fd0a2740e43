package io.ml3spark.tensor;

/** A tensor op was given operands whose shapes it cannot combine; the message names the op. */
public final class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String op, String detail) {
        super(op + ": " + detail);
    }
}
