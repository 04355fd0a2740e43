package io.ml3spark.tensor.backend;

/**
 * Walks a row-major output shape one innermost row at a time, tracking the matching
 * offsets into up to two strided inputs (stride 0 where an input is broadcast). The
 * JVM kernels put their tight loops inside {@link Row#apply}.
 */
final class StridedLoop {
    private StridedLoop() {
    }

    @FunctionalInterface
    interface Row {
        /** One innermost row of {@code len} elements starting at the given offsets. */
        void apply(int out, int a, int b, int len, int strideA, int strideB);
    }

    static void forEachRow(int[] dims, int[] stridesA, int[] stridesB, Row row) {
        int rank = dims.length;
        if (rank == 0) {
            row.apply(0, 0, 0, 1, 0, 0);
            return;
        }
        int len = dims[rank - 1];
        int sa = stridesA[rank - 1];
        int sb = stridesB[rank - 1];
        int rows = 1;
        for (int i = 0; i < rank - 1; i++) {
            rows *= dims[i];
        }
        if (len == 0 || rows == 0) {
            return;
        }
        int[] idx = new int[rank];
        int offA = 0;
        int offB = 0;
        for (int r = 0; r < rows; r++) {
            row.apply(r * len, offA, offB, len, sa, sb);
            for (int d = rank - 2; d >= 0; d--) {
                idx[d]++;
                offA += stridesA[d];
                offB += stridesB[d];
                if (idx[d] < dims[d]) {
                    break;
                }
                offA -= stridesA[d] * dims[d];
                offB -= stridesB[d] * dims[d];
                idx[d] = 0;
            }
        }
    }
}
