package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;

/**
 * Composite functions built from the primitive ops; their gradients (of every order)
 * follow from the primitives', so nothing here has a backward rule of its own.
 */
public final class Functional {
    private Functional() {
    }

    /** log(sum(exp(x))) along {@code axis}, shifted by the (constant) maximum for stability. */
    public static Tensor logSumExp(Tensor x, int axis, boolean keepDims) {
        Shape kept = x.shape().withDim(axis, 1);
        Tensor max = Tensor.constant(x.backend().maxTo(x.data(), kept));
        Tensor lse = x.sub(max).exp().sum(true, axis).log().add(max);
        return keepDims ? lse : lse.reshape(drop(x.shape(), axis));
    }

    private static int[] drop(Shape s, int axis) {
        int ax = s.normalizeAxis(axis);
        int[] d = new int[s.rank() - 1];
        for (int i = 0, j = 0; i < s.rank(); i++) {
            if (i != ax) {
                d[j++] = s.dim(i);
            }
        }
        return d;
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        return x.sub(logSumExp(x, axis, true));
    }

    public static Tensor softmax(Tensor x, int axis) {
        return logSoftmax(x, axis).exp();
    }

    /** Euclidean norm of all elements. */
    public static Tensor norm(Tensor x) {
        return x.square().sum().sqrt();
    }

    /** Euclidean norm along {@code axis}. */
    public static Tensor norm(Tensor x, int axis, boolean keepDims) {
        return x.square().sum(keepDims, axis).sqrt();
    }
}
