package io.ml3spark.tensor.backend;

/**
 * Matrix products with fewer than 4 rows or columns (matrix-vector products, widths 1 to
 * 3), too narrow for a {@link GemmKernel} tile. Both operands are read through strides,
 * {@code A(i, p) = a[aOff + i * aRow + p * aCol]}, {@code B(p, j) = b[bOff + p * bRow + j * bCol]};
 * the loop order keeps the innermost loop on unit stride where the layout allows.
 * {@code C} (n x m, row stride m) is zero on entry.
 */
final class NarrowGemm {
    private NarrowGemm() {
    }

    static void multiply(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow, int bCol,
                         double[] c, int cOff, int n, int k, int m) {
        if (m >= 4 && bCol == 1) {
            rowsOfB(a, aOff, aRow, aCol, b, bOff, bRow, c, cOff, n, k, m);
        } else if (aRow == 1 && aCol != 1) {
            columnsOfA(a, aOff, aCol, b, bOff, bRow, bCol, c, cOff, n, k, m);
        } else {
            dots(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, n, k, m);
        }
    }

    /** Few rows of C: each is a sum of rows of B, which is read once (k may be a whole batch). */
    private static void rowsOfB(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow,
                                double[] c, int cOff, int n, int k, int m) {
        for (int p = 0; p < k; p++) {
            int bp = bOff + p * bRow;
            for (int i = 0; i < n; i++) {
                double x = a[aOff + i * aRow + p * aCol];
                int ci = cOff + i * m;
                for (int j = 0; j < m; j++) {
                    c[ci + j] += x * b[bp + j];
                }
            }
        }
    }

    /** Few columns of C and a transposed A: each column of C is a sum of rows of that A^T. */
    private static void columnsOfA(double[] a, int aOff, int aCol, double[] b, int bOff, int bRow, int bCol,
                                   double[] c, int cOff, int n, int k, int m) {
        for (int j = 0; j < m; j++) {
            for (int p = 0; p < k; p++) {
                double y = b[bOff + p * bRow + j * bCol];
                int ap = aOff + p * aCol;
                if (m == 1) {
                    for (int i = 0; i < n; i++) {
                        c[cOff + i] += a[ap + i] * y;
                    }
                } else {
                    for (int i = 0; i < n; i++) {
                        c[cOff + i * m + j] += a[ap + i] * y;
                    }
                }
            }
        }
    }

    private static void dots(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow, int bCol,
                             double[] c, int cOff, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * aRow;
            for (int j = 0; j < m; j++) {
                int bj = bOff + j * bCol;
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += a[ai + p * aCol] * b[bj + p * bRow];
                }
                c[cOff + i * m + j] = acc;
            }
        }
    }
}
