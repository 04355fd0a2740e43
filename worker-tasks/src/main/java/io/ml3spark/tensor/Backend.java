package io.ml3spark.tensor;

import java.util.List;

/**
 * The kernels a tensor backend provides. Every kernel returns a new immutable
 * {@link TensorData}; none has a gradient: differentiation lives one layer up, in
 * {@code io.ml3spark.autodiff}, and is written in terms of these kernels only.
 * Shapes are checked by the caller ({@code autodiff}); a backend may assume them valid.
 */
public interface Backend {
    String name();

    /** The type tensors are computed and stored in. */
    default Precision precision() {
        return Precision.FLOAT64;
    }

    /**
     * How many tasks a batched computation on this backend should carry at most: where one
     * batch outgrows the CPU's caches, computing it in blocks is faster. Unlimited by default.
     */
    default int tasksPerBlock() {
        return Integer.MAX_VALUE;
    }

    TensorData fromArray(Shape shape, double[] values);

    TensorData full(Shape shape, double value);

    TensorData unary(UnaryKernel kernel, TensorData a, double p);

    /** Elementwise with NumPy broadcasting; the result has {@code Shape.broadcast(a, b)}. */
    TensorData binary(BinaryKernel kernel, TensorData a, TensorData b);

    /** {@code mask != 0 ? a : b}, all three broadcast to {@code shape}. */
    TensorData where(TensorData mask, TensorData a, TensorData b, Shape shape);

    /**
     * Matrix product of the last two dimensions, {@code op(a) @ op(b)} where op transposes
     * when its flag is set; leading (batch) dimensions broadcast. Result shape: see
     * {@link MatMulShapes}.
     */
    TensorData matmul(TensorData a, boolean transposeA, TensorData b, boolean transposeB);

    /** Sum over the dimensions that {@code target} broadcasts along (the adjoint of {@link #broadcastTo}). */
    TensorData sumTo(TensorData a, Shape target);

    /** Maximum over the dimensions that {@code target} broadcasts along. */
    TensorData maxTo(TensorData a, Shape target);

    TensorData broadcastTo(TensorData a, Shape target);

    TensorData reshape(TensorData a, Shape target);

    /** Swaps the last two dimensions. */
    TensorData transpose(TensorData a);

    TensorData concat(List<TensorData> parts, int axis);

    TensorData slice(TensorData a, int axis, int start, int end);
}
