package io.ml3spark.tensor.backend;

/**
 * Copies between the {@code double[]} that values cross the {@link io.ml3spark.tensor.Backend}
 * boundary in and the arrays the jvm backend stores them in; overloads, so that one kernel
 * template ({@code src/main/kernels}) serves both precisions.
 */
final class Storage {
    private Storage() {
    }

    static double[] doubleCopy(double[] values) {
        return values.clone();
    }

    static double[] doubleCopy(float[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** Rounds each value to the nearest float. */
    static float[] floatCopy(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }
}
