package io.ml3spark.tensor.backend;

/**
 * One dense matrix product {@code C = op(A) @ op(B)} on row-major arrays at given offsets,
 * {@code C} being n x m and zero on entry. The inner loop runs along a row of {@code C} and a
 * row of {@code B} so that the JIT vectorises it; a transposed {@code B} is first copied
 * into row-major order (O(km) against the O(nkm) product).
 * Zero entries of {@code A} are skipped (ReLU activations are about half zeros), so
 * {@code 0 * inf} contributes 0 here rather than NaN.
 */
final class Gemm {
    private Gemm() {
    }

    static void multiply(double[] a, int aOff, boolean transposeA, double[] b, int bOff, boolean transposeB,
                         double[] c, int cOff, int n, int k, int m, double[] scratch) {
        double[] bm = b;
        int bo = bOff;
        if (transposeB) {
            for (int j = 0; j < m; j++) {
                int src = bOff + j * k;
                for (int p = 0; p < k; p++) {
                    scratch[p * m + j] = b[src + p];
                }
            }
            bm = scratch;
            bo = 0;
        }
        if (m == 1) {
            matrixVector(a, aOff, transposeA, bm, bo, c, cOff, n, k);
            return;
        }
        int strideI = transposeA ? 1 : k;
        int strideP = transposeA ? n : 1;
        for (int i = 0; i < n; i++) {
            int ci = cOff + i * m;
            int ai = aOff + i * strideI;
            for (int p = 0; p < k; p++) {
                double av = a[ai + p * strideP];
                if (av == 0.0) {
                    continue;
                }
                int bp = bo + p * m;
                for (int j = 0; j < m; j++) {
                    c[ci + j] += av * bm[bp + j];
                }
            }
        }
    }

    private static void matrixVector(double[] a, int aOff, boolean transposeA, double[] v, int vOff,
                                     double[] c, int cOff, int n, int k) {
        if (transposeA) {
            for (int p = 0; p < k; p++) {
                double vp = v[vOff + p];
                int ap = aOff + p * n;
                for (int i = 0; i < n; i++) {
                    c[cOff + i] += a[ap + i] * vp;
                }
            }
            return;
        }
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * k;
            double acc = 0;
            for (int p = 0; p < k; p++) {
                acc += a[ai + p] * v[vOff + p];
            }
            c[cOff + i] = acc;
        }
    }
}
