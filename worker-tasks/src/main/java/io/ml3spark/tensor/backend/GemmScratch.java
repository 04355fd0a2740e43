package io.ml3spark.tensor.backend;

/**
 * Per-thread work arrays of {@link Gemm} (a packed B^T, partial sums over a block of the
 * inner dimension), reused across calls since a meta-gradient issues hundreds of small
 * products. Arrays above {@link #KEEP} elements are not kept.
 */
final class GemmScratch {
    private static final int KEEP = 1 << 20;
    private static final ThreadLocal<GemmScratch> LOCAL = ThreadLocal.withInitial(GemmScratch::new);

    private double[] packed = new double[0];
    private double[] partial = new double[0];

    static GemmScratch get() {
        return LOCAL.get();
    }

    double[] packed(int size) {
        if (packed.length >= size) {
            return packed;
        }
        double[] fresh = new double[size];
        if (size <= KEEP) {
            packed = fresh;
        }
        return fresh;
    }

    double[] partial(int size) {
        if (partial.length >= size) {
            return partial;
        }
        double[] fresh = new double[size];
        if (size <= KEEP) {
            partial = fresh;
        }
        return fresh;
    }
}
