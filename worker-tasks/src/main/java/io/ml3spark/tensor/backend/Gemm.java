package io.ml3spark.tensor.backend;

/**
 * One dense matrix product {@code C = op(A) @ op(B)} on row-major arrays at given offsets,
 * {@code C} being n x m and zero on entry. A transposed A is read through strides; a
 * transposed B is first copied into row-major order (O(km) against the O(nkm) product) so
 * the {@link GemmKernel} always walks rows of B. Products narrower than 4 go to
 * {@link NarrowGemm}. A long inner dimension is cut into blocks whose A and B slices stay
 * in cache while every tile of C passes over them.
 *
 * <p>The kernel is the Vector API one when {@link VectorApi#ENABLED}, else the plain-Java one.
 */
final class Gemm {
    static final GemmKernel PLAIN = new PlainGemmKernel();
    static final GemmKernel KERNEL = VectorApi.load(GemmKernel.class, "VectorGemmKernel", PLAIN);
    private static final int MIN_TILE = 4;
    private static final int K_BLOCK = 512;

    private Gemm() {
    }

    static void multiply(double[] a, int aOff, boolean transposeA, double[] b, int bOff, boolean transposeB,
                         double[] c, int cOff, int n, int k, int m) {
        multiply(KERNEL, a, aOff, transposeA, b, bOff, transposeB, c, cOff, n, k, m);
    }

    static void multiply(GemmKernel kernel, double[] a, int aOff, boolean transposeA, double[] b, int bOff,
                         boolean transposeB, double[] c, int cOff, int n, int k, int m) {
        int aRow = transposeA ? 1 : k;
        int aCol = transposeA ? n : 1;
        if (n < MIN_TILE || m < MIN_TILE) {
            NarrowGemm.multiply(a, aOff, aRow, aCol, b, bOff, transposeB ? 1 : m, transposeB ? k : 1,
                    c, cOff, n, k, m);
            return;
        }
        GemmScratch scratch = GemmScratch.get();
        double[] rowsB = b;
        int rowsOff = bOff;
        if (transposeB) {
            rowsB = scratch.packed(k * m);
            rowsOff = 0;
            transpose(b, bOff, m, k, rowsB);
        }
        kernel.store(a, aOff, aRow, aCol, rowsB, rowsOff, m, c, cOff, n, Math.min(k, K_BLOCK), m);
        if (k <= K_BLOCK) {
            return;
        }
        double[] partial = scratch.partial(n * m);
        for (int p = K_BLOCK; p < k; p += K_BLOCK) {
            kernel.store(a, aOff + p * aCol, aRow, aCol, rowsB, rowsOff + p * m, m, partial, 0, n,
                    Math.min(K_BLOCK, k - p), m);
            for (int t = 0; t < n * m; t++) {
                c[cOff + t] += partial[t];
            }
        }
    }

    /** {@code to} (cols x rows) = the transpose of the rows x cols matrix at {@code from[off]}. */
    private static void transpose(double[] from, int off, int rows, int cols, double[] to) {
        for (int r = 0; r < rows; r++) {
            int src = off + r * cols;
            for (int q = 0; q < cols; q++) {
                to[q * rows + r] = from[src + q];
            }
        }
    }
}
