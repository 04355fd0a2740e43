package io.ml3spark.tensor.backend;

/**
 * {@link GemmKernel} in plain Java: a 4 x 4 tile of C in sixteen scalar accumulators while
 * p runs over the whole inner dimension (8 loads per 16 multiply-adds). Edge tiles are
 * shifted back inside C and overlap their neighbours, storing the same sums twice.
 */
final class PlainGemmKernel implements GemmKernel {
    private static final int T = 4;

    @Override
    public void store(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int ldb,
                      double[] c, int cOff, int n, int k, int m) {
        for (int i = 0; i < n; i += T) {
            int i0 = Math.min(i, n - T);
            for (int j = 0; j < m; j += T) {
                int j0 = Math.min(j, m - T);
                tile(a, aOff + i0 * aRow, aRow, aCol, b, bOff + j0, ldb, c, cOff + i0 * m + j0, m, k);
            }
        }
    }

    private static void tile(double[] a, int a0, int aRow, int aCol, double[] b, int b0, int ldb,
                             double[] c, int c0, int m, int k) {
        double c00 = 0, c01 = 0, c02 = 0, c03 = 0;
        double c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        double c20 = 0, c21 = 0, c22 = 0, c23 = 0;
        double c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        int ap = a0;
        int bp = b0;
        for (int p = 0; p < k; p++, ap += aCol, bp += ldb) {
            double b0v = b[bp];
            double b1v = b[bp + 1];
            double b2v = b[bp + 2];
            double b3v = b[bp + 3];
            double x = a[ap];
            c00 = Math.fma(x, b0v, c00);
            c01 = Math.fma(x, b1v, c01);
            c02 = Math.fma(x, b2v, c02);
            c03 = Math.fma(x, b3v, c03);
            x = a[ap + aRow];
            c10 = Math.fma(x, b0v, c10);
            c11 = Math.fma(x, b1v, c11);
            c12 = Math.fma(x, b2v, c12);
            c13 = Math.fma(x, b3v, c13);
            x = a[ap + 2 * aRow];
            c20 = Math.fma(x, b0v, c20);
            c21 = Math.fma(x, b1v, c21);
            c22 = Math.fma(x, b2v, c22);
            c23 = Math.fma(x, b3v, c23);
            x = a[ap + 3 * aRow];
            c30 = Math.fma(x, b0v, c30);
            c31 = Math.fma(x, b1v, c31);
            c32 = Math.fma(x, b2v, c32);
            c33 = Math.fma(x, b3v, c33);
        }
        storeRow(c, c0, c00, c01, c02, c03);
        storeRow(c, c0 + m, c10, c11, c12, c13);
        storeRow(c, c0 + 2 * m, c20, c21, c22, c23);
        storeRow(c, c0 + 3 * m, c30, c31, c32, c33);
    }

    private static void storeRow(double[] c, int at, double x0, double x1, double x2, double x3) {
        c[at] = x0;
        c[at + 1] = x1;
        c[at + 2] = x2;
        c[at + 3] = x3;
    }
}
