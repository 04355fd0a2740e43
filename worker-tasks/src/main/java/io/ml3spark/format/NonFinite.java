package io.ml3spark.format;

/** Counting the NaN and infinite values that must never be saved as a result. */
public final class NonFinite {
    private NonFinite() {
    }

    /** How many of {@code values} are NaN or infinite. */
    public static int count(double[] values) {
        int n = 0;
        for (double v : values) {
            if (!Double.isFinite(v)) {
                n++;
            }
        }
        return n;
    }
}
