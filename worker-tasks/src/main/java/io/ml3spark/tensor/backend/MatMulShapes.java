package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

/**
 * Shape rules of a (batched) matrix product, shared by every backend: operands of rank
 * at least 2, inner dimensions equal after the transposes, batch dimensions broadcast.
 */
public record MatMulShapes(Shape batch, int n, int k, int m, Shape result) {

    public static MatMulShapes of(Shape a, boolean transposeA, Shape b, boolean transposeB) {
        if (a.rank() < 2 || b.rank() < 2) {
            throw new ShapeException("matmul", "operands need rank >= 2, got " + a + " and " + b);
        }
        int n = transposeA ? a.dim(-1) : a.dim(-2);
        int ka = transposeA ? a.dim(-2) : a.dim(-1);
        int kb = transposeB ? b.dim(-1) : b.dim(-2);
        int m = transposeB ? b.dim(-2) : b.dim(-1);
        if (ka != kb) {
            throw new ShapeException("matmul", "inner dimensions differ: " + a + (transposeA ? "^T" : "")
                    + " @ " + b + (transposeB ? "^T" : "") + " (" + ka + " vs " + kb + ")");
        }
        Shape batch = batch(a, b);
        int[] r = new int[batch.rank() + 2];
        for (int i = 0; i < batch.rank(); i++) {
            r[i] = batch.dim(i);
        }
        r[batch.rank()] = n;
        r[batch.rank() + 1] = m;
        return new MatMulShapes(batch, n, ka, m, Shape.of(r));
    }

    /** The broadcast batch dimensions; the common cases (a shared matrix, equal batches) make no extra shapes. */
    private static Shape batch(Shape a, Shape b) {
        Shape batchA = a.sub(0, a.rank() - 2);
        if (b.rank() == 2) {
            return batchA;
        }
        Shape batchB = b.sub(0, b.rank() - 2);
        if (a.rank() == 2) {
            return batchB;
        }
        try {
            return Shape.broadcast("matmul", batchA, batchB);
        } catch (ShapeException e) {
            throw new ShapeException("matmul", "batch dimensions of " + a + " and " + b + " do not broadcast");
        }
    }
}
