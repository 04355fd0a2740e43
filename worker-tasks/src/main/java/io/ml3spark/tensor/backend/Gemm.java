package io.ml3spark.tensor.backend;

import org.slf4j.LoggerFactory;

/**
 * One dense matrix product {@code C = op(A) @ op(B)} on row-major arrays at given offsets,
 * {@code C} being n x m and zero on entry. A transposed A is read through strides; a
 * transposed B is first copied into row-major order (O(km) against the O(nkm) product) so
 * the {@link GemmKernel} always walks rows of B. Products narrower than 4 go to
 * {@link NarrowGemm}. A long inner dimension is cut into blocks whose A and B slices stay
 * in cache while every tile of C passes over them.
 *
 * <p>The kernel is the Vector API one when the {@code jdk.incubator.vector} module is in the
 * boot layer (JVM flag {@code --add-modules jdk.incubator.vector}) and the plain-Java one
 * otherwise, or when the system property {@value #PLAIN_PROPERTY} is true.
 */
final class Gemm {
    static final String PLAIN_PROPERTY = "ml3spark.gemm.plain";
    static final GemmKernel PLAIN = new PlainGemmKernel();
    static final GemmKernel KERNEL = select();
    private static final int MIN_TILE = 4;
    private static final int K_BLOCK = 256;

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

    private static GemmKernel select() {
        if (Boolean.getBoolean(PLAIN_PROPERTY) || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return PLAIN;
        }
        try {
            return (GemmKernel) Class.forName(Gemm.class.getPackageName() + ".VectorGemmKernel")
                    .getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException | LinkageError e) {
            LoggerFactory.getLogger(Gemm.class).warn("Vector API kernel unavailable, using plain Java", e);
            return PLAIN;
        }
    }
}
