package io.ml3spark.tensor.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link GemmKernel} on the incubating Vector API: a tile of 4 rows x 3 vectors of C lives
 * in twelve registers while p runs over the whole inner dimension, each step costing 3
 * loads of B, 4 broadcasts of A and 12 fused multiply-adds. Tiles at the right and bottom
 * edges are shifted back inside C rather than masked, so they overlap their neighbours
 * and store the same sums twice; that is why the kernel overwrites C instead of adding.
 * 256-bit vectors: on this EPYC a 512-bit FMA costs two 256-bit ones, and narrower
 * vectors waste less at the edges (m = 10 needs 12 lanes, not 16).
 *
 * <p>Only loaded through {@link VectorApi#load}.
 */
final class VectorGemmKernel implements GemmKernel {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;
    private static final int V = 4;
    private static final int ROWS = 4;
    private static final int COLS = 3 * V;

    @Override
    public void store(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int ldb,
                      double[] c, int cOff, int n, int k, int m) {
        for (int j = 0; j < m; j += COLS) {
            int j0;
            int j1;
            int j2;
            if (m >= COLS) {
                j0 = Math.min(j, m - COLS);
                j1 = j0 + V;
                j2 = j0 + 2 * V;
            } else {
                j0 = 0;
                j1 = Math.min(V, m - V);
                j2 = m - V;
            }
            for (int i = 0; i < n; i += ROWS) {
                int i0 = Math.min(i, n - ROWS);
                tile(a, aOff + i0 * aRow, aRow, aCol, b, bOff, ldb, c, cOff + i0 * m, m, k, j0, j1, j2);
            }
        }
    }

    private static void tile(double[] a, int a0, int aRow, int aCol, double[] b, int b0, int ldb,
                             double[] c, int c0, int m, int k, int j0, int j1, int j2) {
        DoubleVector c00 = DoubleVector.zero(S);
        DoubleVector c01 = c00;
        DoubleVector c02 = c00;
        DoubleVector c10 = c00;
        DoubleVector c11 = c00;
        DoubleVector c12 = c00;
        DoubleVector c20 = c00;
        DoubleVector c21 = c00;
        DoubleVector c22 = c00;
        DoubleVector c30 = c00;
        DoubleVector c31 = c00;
        DoubleVector c32 = c00;
        int ap = a0;
        int bp = b0;
        for (int p = 0; p < k; p++, ap += aCol, bp += ldb) {
            DoubleVector b0v = DoubleVector.fromArray(S, b, bp + j0);
            DoubleVector b1v = DoubleVector.fromArray(S, b, bp + j1);
            DoubleVector b2v = DoubleVector.fromArray(S, b, bp + j2);
            DoubleVector x = DoubleVector.broadcast(S, a[ap]);
            c00 = x.fma(b0v, c00);
            c01 = x.fma(b1v, c01);
            c02 = x.fma(b2v, c02);
            x = DoubleVector.broadcast(S, a[ap + aRow]);
            c10 = x.fma(b0v, c10);
            c11 = x.fma(b1v, c11);
            c12 = x.fma(b2v, c12);
            x = DoubleVector.broadcast(S, a[ap + 2 * aRow]);
            c20 = x.fma(b0v, c20);
            c21 = x.fma(b1v, c21);
            c22 = x.fma(b2v, c22);
            x = DoubleVector.broadcast(S, a[ap + 3 * aRow]);
            c30 = x.fma(b0v, c30);
            c31 = x.fma(b1v, c31);
            c32 = x.fma(b2v, c32);
        }
        c00.intoArray(c, c0 + j0);
        c01.intoArray(c, c0 + j1);
        c02.intoArray(c, c0 + j2);
        c10.intoArray(c, c0 + m + j0);
        c11.intoArray(c, c0 + m + j1);
        c12.intoArray(c, c0 + m + j2);
        c20.intoArray(c, c0 + 2 * m + j0);
        c21.intoArray(c, c0 + 2 * m + j1);
        c22.intoArray(c, c0 + 2 * m + j2);
        c30.intoArray(c, c0 + 3 * m + j0);
        c31.intoArray(c, c0 + 3 * m + j1);
        c32.intoArray(c, c0 + 3 * m + j2);
    }
}
