package io.ml3spark.tensor.backend;

/**
 * The inner part of a matrix product: {@code C = A B} with {@code A} read through strides
 * (so a transposed {@code A} needs no copy) and {@code B} row-major. Implementations
 * overwrite {@code C} (n x m, row stride m), never read it, and need {@code n >= 4} and
 * {@code m >= 4}: narrower products go to {@link NarrowGemm}.
 */
interface GemmKernel {
    /**
     * @param a      {@code A(i, p) = a[aOff + i * aRow + p * aCol]}
     * @param b      {@code B(p, j) = b[bOff + p * ldb + j]}
     */
    void store(double[] a, int aOff, int aRow, int aCol, double[] b, int bOff, int ldb,
               double[] c, int cOff, int n, int k, int m);
}
