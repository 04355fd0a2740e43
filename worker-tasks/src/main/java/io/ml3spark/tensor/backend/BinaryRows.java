package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.BinaryKernel;
/**
 * One row of an elementwise binary kernel, {@code z[zOff + j] = x[xOff + j * sx] op y[yOff + j * sy]},
 * with the kernel and the common stride patterns (1 for a dense operand, 0 for one
 * broadcast along the row) picked outside the loop, so the loop is plain enough for the
 * JIT to vectorise.
 */
final class BinaryRows {
    private BinaryRows() {
    }

    static void apply(BinaryKernel kernel, double[] x, int xOff, int sx, double[] y, int yOff, int sy,
                      double[] z, int zOff, int len) {
        boolean fast = kernel == BinaryKernel.ADD || kernel == BinaryKernel.SUB || kernel == BinaryKernel.MUL;
        if (fast && sx == 1 && sy == 1) {
            dense(kernel, x, xOff, y, yOff, z, zOff, len);
        } else if (fast && sx == 1 && sy == 0) {
            scalarRight(kernel, x, xOff, y[yOff], z, zOff, len);
        } else if (fast && sx == 0 && sy == 1 && kernel != BinaryKernel.SUB) {
            scalarRight(kernel, y, yOff, x[xOff], z, zOff, len);
        } else {
            general(kernel, x, xOff, sx, y, yOff, sy, z, zOff, len);
        }
    }

    private static void dense(BinaryKernel kernel, double[] x, int xOff, double[] y, int yOff,
                              double[] z, int zOff, int len) {
        switch (kernel) {
            case ADD -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] + y[yOff + j];
                }
            }
            case SUB -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] - y[yOff + j];
                }
            }
            default -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] * y[yOff + j];
                }
            }
        }
    }

    /** {@code x op s}, or {@code s op x} for the commutative kernels. */
    private static void scalarRight(BinaryKernel kernel, double[] x, int xOff, double s, double[] z, int zOff, int len) {
        switch (kernel) {
            case ADD -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] + s;
                }
            }
            case SUB -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] - s;
                }
            }
            default -> {
                for (int j = 0; j < len; j++) {
                    z[zOff + j] = x[xOff + j] * s;
                }
            }
        }
    }

    private static void general(BinaryKernel kernel, double[] x, int xOff, int sx, double[] y, int yOff, int sy,
                                double[] z, int zOff, int len) {
        for (int j = 0; j < len; j++) {
            z[zOff + j] = kernel.apply(x[xOff + j * sx], y[yOff + j * sy]);
        }
    }
}
