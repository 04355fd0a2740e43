package io.ml3spark.tensor.backend;

/**
 * Matrix products with fewer than 4 rows or columns (matrix-vector products, widths 1 to
 * 3), too narrow for a {@link GemmKernel} tile. Both operands are read through strides,
 * {@code A(i, p) = a[aOff + i * aRow + p * aCol]}, {@code B(p, j) = b[bOff + p * bRow + j * bCol]};
 * the loop order keeps the innermost loop on unit stride where the layout allows, and
 * four independent sums per pass keep the FPU busy (a single running sum waits on each
 * addition). {@code C} (n x m, row stride m) is zero on entry.
 */
final class NarrowGemm {
    private NarrowGemm() {
    }

    static void multiply(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow, int bCol,
                         double[] c, int cOff, int n, int k, int m) {
        if (m >= 4 && bCol == 1) {
            rowsOfB(a, aOff, aRow, aCol, b, bOff, bRow, c, cOff, n, k, m);
        } else if (aRow == 1 && aCol != 1) {
            for (int j = 0; j < m; j++) {
                columnOfC(a, aOff, aCol, b, bOff + j * bCol, bRow, c, cOff + j, m, n, k);
            }
        } else {
            dots(a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff, n, k, m);
        }
    }

    /** Few rows of C: each is a sum of rows of B, four at a time; B is read once (k may span a whole batch). */
    private static void rowsOfB(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow,
                                double[] c, int cOff, int n, int k, int m) {
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            int b0 = bOff + p * bRow;
            int b1 = b0 + bRow;
            int b2 = b1 + bRow;
            int b3 = b2 + bRow;
            for (int i = 0; i < n; i++) {
                int ap = aOff + i * aRow + p * aCol;
                double x0 = a[ap];
                double x1 = a[ap + aCol];
                double x2 = a[ap + 2 * aCol];
                double x3 = a[ap + 3 * aCol];
                int ci = cOff + i * m;
                for (int j = 0; j < m; j++) {
                    c[ci + j] += x0 * b[b0 + j] + x1 * b[b1 + j] + x2 * b[b2 + j] + x3 * b[b3 + j];
                }
            }
        }
        for (; p < k; p++) {
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

    /**
     * Column j of C (stride m) for an A stored transposed: a sum of the rows of that
     * storage weighted by the column {@code B(., j)} at {@code b[bj + p * bRow]}.
     */
    private static void columnOfC(double[] a, int aOff, int aCol, double[] b, int bj, int bRow,
                                  double[] c, int cj, int m, int n, int k) {
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            double y0 = b[bj + p * bRow];
            double y1 = b[bj + (p + 1) * bRow];
            double y2 = b[bj + (p + 2) * bRow];
            double y3 = b[bj + (p + 3) * bRow];
            int a0 = aOff + p * aCol;
            int a1 = a0 + aCol;
            int a2 = a1 + aCol;
            int a3 = a2 + aCol;
            for (int i = 0; i < n; i++) {
                c[cj + i * m] += y0 * a[a0 + i] + y1 * a[a1 + i] + y2 * a[a2 + i] + y3 * a[a3 + i];
            }
        }
        for (; p < k; p++) {
            double y = b[bj + p * bRow];
            int ap = aOff + p * aCol;
            for (int i = 0; i < n; i++) {
                c[cj + i * m] += y * a[ap + i];
            }
        }
    }

    private static void dots(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int bRow, int bCol,
                             double[] c, int cOff, int n, int k, int m) {
        for (int i = 0; i < n; i++) {
            int ai = aOff + i * aRow;
            for (int j = 0; j < m; j++) {
                int bj = bOff + j * bCol;
                c[cOff + i * m + j] = aCol == 1 && bRow == 1 ? dot(a, ai, b, bj, k) : dot(a, ai, aCol, b, bj, bRow, k);
            }
        }
    }

    private static double dot(double[] x, int xOff, double[] y, int yOff, int k) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int p = 0;
        for (; p + 4 <= k; p += 4) {
            s0 += x[xOff + p] * y[yOff + p];
            s1 += x[xOff + p + 1] * y[yOff + p + 1];
            s2 += x[xOff + p + 2] * y[yOff + p + 2];
            s3 += x[xOff + p + 3] * y[yOff + p + 3];
        }
        for (; p < k; p++) {
            s0 += x[xOff + p] * y[yOff + p];
        }
        return (s0 + s1) + (s2 + s3);
    }

    private static double dot(double[] x, int xOff, int xStride, double[] y, int yOff, int yStride, int k) {
        double s0 = 0;
        double s1 = 0;
        int p = 0;
        for (; p + 2 <= k; p += 2) {
            s0 += x[xOff + p * xStride] * y[yOff + p * yStride];
            s1 += x[xOff + (p + 1) * xStride] * y[yOff + (p + 1) * yStride];
        }
        if (p < k) {
            s0 += x[xOff + p * xStride] * y[yOff + p * yStride];
        }
        return s0 + s1;
    }
}
