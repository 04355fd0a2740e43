package io.ml3spark.autodiff;

import io.ml3spark.tensor.backend.MatMulShapes;

/**
 * The (batched) matrix product {@code C = op(A) op(B)} with optional transposes. Its
 * adjoints are matrix products again, picked so that no transpose is materialised:
 * <pre>
 *   C = A B     : dA = G B^T,   dB = A^T G
 *   C = A^T B   : dA = B G^T,   dB = A G
 *   C = A B^T   : dA = G B,     dB = G^T A
 *   C = A^T B^T : dA = B^T G^T, dB = G^T A^T
 * </pre>
 * An operand shared across a batch (rank 2 beside rank 3, as phi is across tasks) gets
 * the sum over the batch; where the batch side is not transposed that sum is one flat
 * product over all rows instead of a batch of products summed afterwards.
 */
final class MatMul {
    private MatMul() {
    }

    static Tensor apply(Tensor a, boolean ta, Tensor b, boolean tb) {
        ElementwiseOps.checkSameBackend("matmul", a, b);
        MatMulShapes.of(a.shape(), ta, b.shape(), tb);
        return Tensor.result("matmul", a.backend().matmul(a.data(), ta, b.data(), tb), (out, g, needs) -> new Tensor[] {
            needs[0] ? gradA(a, ta, b, tb, g) : null,
            needs[1] ? gradB(a, ta, b, tb, g) : null}, a, b);
    }

    private static Tensor gradA(Tensor a, boolean ta, Tensor b, boolean tb, Tensor g) {
        Tensor grad;
        if (!ta) {
            grad = tb ? g.matmul(false, b, false) : g.matmul(false, b, true);
        } else {
            grad = tb ? b.matmul(true, g, true) : b.matmul(false, g, true);
        }
        return grad.sumTo(a.shape());
    }

    private static Tensor gradB(Tensor a, boolean ta, Tensor b, boolean tb, Tensor g) {
        if (b.shape().rank() == 2 && a.shape().rank() > 2 && !ta) {
            Tensor rowsA = a.reshape(-1, a.shape().dim(-1));
            Tensor rowsG = g.reshape(-1, g.shape().dim(-1));
            return tb ? rowsG.matmul(true, rowsA, false) : rowsA.matmul(true, rowsG, false);
        }
        Tensor grad;
        if (!tb) {
            grad = ta ? a.matmul(false, g, false) : a.matmul(true, g, false);
        } else {
            grad = ta ? g.matmul(true, a, true) : g.matmul(true, a, false);
        }
        return grad.sumTo(b.shape());
    }
}
