package io.ml3spark.data;

import java.io.IOException;

/** An IDX file that is not what it claims to be: wrong magic number, truncated, or inconsistent with its partner. */
public final class IdxFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public IdxFormatException(String message) {
        super(message);
    }
}
