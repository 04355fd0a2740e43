package io.ml3spark.tensor.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatGemmKernel} on the incubating Vector API: a tile of 6 rows x 2 vectors (16
 * floats) of C lives in twelve registers while p runs over the whole inner dimension, each
 * step costing 2 loads of B, 6 broadcasts of A and 12 fused multiply-adds; with the two B
 * vectors and a broadcast that is 15 of AVX2's 16 registers. The float64 kernel
 * ({@link VectorGemmKernel}, 4 x 3 vectors of 4) would span 24 columns in float and waste
 * more at ML3's widths (10, 50, 100 columns: 16, 64 and 112 computed here against 24, 72 and
 * 120). Edge tiles are shifted back inside C, as there. Products smaller than a tile (fewer
 * than 6 rows or 8 columns) go to the plain kernel.
 *
 * <p>Written by hand, not generated: the tile is where the two precisions differ. Only loaded
 * through {@link VectorApi#load}.
 */
final class VectorFloatGemmKernel implements FloatGemmKernel {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_256;
    private static final int V = 8;
    private static final int ROWS = 6;
    private static final int COLS = 2 * V;

    @Override
    public void store(float[] a, int aOff, int aRow, int aCol, float[] b, int bOff, int ldb,
                      float[] c, int cOff, int n, int k, int m) {
        if (n < ROWS || m < V) {
            FloatGemm.PLAIN.store(a, aOff, aRow, aCol, b, bOff, ldb, c, cOff, n, k, m);
            return;
        }
        for (int j = 0; j < m; j += COLS) {
            int j0 = m >= COLS ? Math.min(j, m - COLS) : 0;
            int j1 = m >= COLS ? j0 + V : m - V;
            for (int i = 0; i < n; i += ROWS) {
                int i0 = Math.min(i, n - ROWS);
                tile(a, aOff + i0 * aRow, aRow, aCol, b, bOff, ldb, c, cOff + i0 * m, m, k, j0, j1);
            }
        }
    }

    private static void tile(float[] a, int a0, int aRow, int aCol, float[] b, int b0, int ldb,
                             float[] c, int c0, int m, int k, int j0, int j1) {
        FloatVector c00 = FloatVector.zero(S);
        FloatVector c01 = c00;
        FloatVector c10 = c00;
        FloatVector c11 = c00;
        FloatVector c20 = c00;
        FloatVector c21 = c00;
        FloatVector c30 = c00;
        FloatVector c31 = c00;
        FloatVector c40 = c00;
        FloatVector c41 = c00;
        FloatVector c50 = c00;
        FloatVector c51 = c00;
        int ap = a0;
        int bp = b0;
        for (int p = 0; p < k; p++, ap += aCol, bp += ldb) {
            FloatVector b0v = FloatVector.fromArray(S, b, bp + j0);
            FloatVector b1v = FloatVector.fromArray(S, b, bp + j1);
            FloatVector x = FloatVector.broadcast(S, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            x = FloatVector.broadcast(S, a[ap + aRow]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            x = FloatVector.broadcast(S, a[ap + 2 * aRow]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            x = FloatVector.broadcast(S, a[ap + 3 * aRow]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            x = FloatVector.broadcast(S, a[ap + 4 * aRow]);
            c40 = x.fma(b0v, c40);
            c41 = x.fma(b1v, c41);
            x = FloatVector.broadcast(S, a[ap + 5 * aRow]);
            c50 = x.fma(b0v, c50);
            c51 = x.fma(b1v, c51);
        }
        c00.intoArray(c, c0 + j0);
        c01.intoArray(c, c0 + j1);
        c10.intoArray(c, c0 + m + j0);
        c11.intoArray(c, c0 + m + j1);
        c20.intoArray(c, c0 + 2 * m + j0);
        c21.intoArray(c, c0 + 2 * m + j1);
        c30.intoArray(c, c0 + 3 * m + j0);
        c31.intoArray(c, c0 + 3 * m + j1);
        c40.intoArray(c, c0 + 4 * m + j0);
        c41.intoArray(c, c0 + 4 * m + j1);
        c50.intoArray(c, c0 + 5 * m + j0);
        c51.intoArray(c, c0 + 5 * m + j1);
    }
}
