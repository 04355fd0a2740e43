package io.ml3spark.tensor.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatNarrowKernel} on the incubating Vector API, for the three narrow layouts of ML3's
 * meta-gradients, each summed in registers over the whole inner dimension:
 * <ul>
 *   <li>few rows of C, B row-major and at least 8 wide: each row of C, 32 columns at a time,
 *       a sum of rows of B (a vector-matrix product, e.g. the first layer's weight gradient);</li>
 *   <li>few columns of C, A row-major and B's columns contiguous: dot products, 8 lanes wide
 *       (a network's last layer, 400 x 50 x 1);</li>
 *   <li>few columns of C with A stored transposed, at least 8 rows: columns of C as sums of
 *       A's stored rows (that layer's adjoint).</li>
 * </ul>
 * Columns or rows past the last full vector are covered by a vector shifted back inside C,
 * which stores the same sums twice, as in {@link VectorFloatGemmKernel}. The plain
 * {@link FloatNarrowGemm} takes the rest. float32 only: the float64 products keep the
 * summation order that the configs' fingerprints were computed with.
 *
 * <p>Only loaded through {@link VectorApi#load}.
 */
final class VectorFloatNarrowGemm implements FloatNarrowKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int V = 8;

    @Override
    public boolean multiply(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int bRow, int bCol,
                            float[] c, int cOff, int n, int k, int m) {
        if (bCol == 1 && m >= V) {
            for (int i = 0; i < n; i++) {
                rowOfC(a, aOff + i * aRow, aCol, b, bOff, bRow, c, cOff + i * m, k, m);
            }
            return true;
        }
        if (aCol == 1 && bRow == 1 && k >= V) {
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < m; j++) {
                    c[cOff + i * m + j] = dot(a, aOff + i * aRow, b, bOff + j * bCol, k);
                }
            }
            return true;
        }
        if (aRow == 1 && n >= V) {
            for (int j = 0; j < m; j++) {
                columnOfC(a, aOff, aCol, b, bOff + j * bCol, bRow, c, cOff + j, m, n, k);
            }
            return true;
        }
        return false;
    }

    /** Row {@code C(i, .)} at {@code ci}: sum over p of {@code A(i, p)} (at {@code ai + p * aCol}) times row p of B. */
    private static void rowOfC(float[] a, int ai, int aCol, float[] b, int bOff, int bRow, float[] c, int ci, int k, int m) {
        int j = 0;
        for (; j + 4 * V <= m; j += 4 * V) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int p = 0, ap = ai, bp = bOff + j; p < k; p++, ap += aCol, bp += bRow) {
                FloatVector x = FloatVector.broadcast(S, a[ap]);
                s0 = x.fma(FloatVector.fromArray(S, b, bp), s0);
                s1 = x.fma(FloatVector.fromArray(S, b, bp + V), s1);
                s2 = x.fma(FloatVector.fromArray(S, b, bp + 2 * V), s2);
                s3 = x.fma(FloatVector.fromArray(S, b, bp + 3 * V), s3);
            }
            s0.intoArray(c, ci + j);
            s1.intoArray(c, ci + j + V);
            s2.intoArray(c, ci + j + 2 * V);
            s3.intoArray(c, ci + j + 3 * V);
        }
        for (; j < m; j += V) {
            int j0 = Math.min(j, m - V);
            FloatVector s = FloatVector.zero(S);
            for (int p = 0, ap = ai, bp = bOff + j0; p < k; p++, ap += aCol, bp += bRow) {
                s = FloatVector.broadcast(S, a[ap]).fma(FloatVector.fromArray(S, b, bp), s);
            }
            s.intoArray(c, ci + j0);
        }
    }

    /** The dot product of {@code k} contiguous floats at {@code x[xOff]} and {@code y[yOff]}. */
    private static float dot(float[] x, int xOff, float[] y, int yOff, int k) {
        FloatVector s0 = FloatVector.zero(S);
        FloatVector s1 = s0;
        int p = 0;
        for (; p + 2 * V <= k; p += 2 * V) {
            s0 = FloatVector.fromArray(S, x, xOff + p).fma(FloatVector.fromArray(S, y, yOff + p), s0);
            s1 = FloatVector.fromArray(S, x, xOff + p + V).fma(FloatVector.fromArray(S, y, yOff + p + V), s1);
        }
        if (p + V <= k) {
            s0 = FloatVector.fromArray(S, x, xOff + p).fma(FloatVector.fromArray(S, y, yOff + p), s0);
            p += V;
        }
        float sum = s0.add(s1).reduceLanes(VectorOperators.ADD);
        for (; p < k; p++) {
            sum = Math.fma(x[xOff + p], y[yOff + p], sum);
        }
        return sum;
    }

    /**
     * Column j of C (at {@code cj}, stride m) for an A stored transposed ({@code A(i, p) = a[aOff + p * aCol + i]}):
     * the sum over p of {@code B(p, j)} (at {@code bj + p * bRow}) times stored row p of A.
     */
    private static void columnOfC(float[] a, int aOff, int aCol, float[] b, int bj, int bRow, float[] c, int cj,
                                  int m, int n, int k) {
        int i = 0;
        for (; i + 4 * V <= n; i += 4 * V) {
            FloatVector s0 = FloatVector.zero(S);
            FloatVector s1 = s0;
            FloatVector s2 = s0;
            FloatVector s3 = s0;
            for (int p = 0, ap = aOff + i, bp = bj; p < k; p++, ap += aCol, bp += bRow) {
                FloatVector y = FloatVector.broadcast(S, b[bp]);
                s0 = y.fma(FloatVector.fromArray(S, a, ap), s0);
                s1 = y.fma(FloatVector.fromArray(S, a, ap + V), s1);
                s2 = y.fma(FloatVector.fromArray(S, a, ap + 2 * V), s2);
                s3 = y.fma(FloatVector.fromArray(S, a, ap + 3 * V), s3);
            }
            store(s0, c, cj, i, m);
            store(s1, c, cj, i + V, m);
            store(s2, c, cj, i + 2 * V, m);
            store(s3, c, cj, i + 3 * V, m);
        }
        for (; i < n; i += V) {
            int i0 = Math.min(i, n - V);
            FloatVector s = FloatVector.zero(S);
            for (int p = 0, ap = aOff + i0, bp = bj; p < k; p++, ap += aCol, bp += bRow) {
                s = FloatVector.broadcast(S, b[bp]).fma(FloatVector.fromArray(S, a, ap), s);
            }
            store(s, c, cj, i0, m);
        }
    }

    /** Rows {@code i0 .. i0 + 7} of the column of C at {@code cj} (stride m). */
    private static void store(FloatVector s, float[] c, int cj, int i0, int m) {
        if (m == 1) {
            s.intoArray(c, cj + i0);
        } else {
            for (int lane = 0; lane < V; lane++) {
                c[cj + (i0 + lane) * m] = s.lane(lane);
            }
        }
    }
}
