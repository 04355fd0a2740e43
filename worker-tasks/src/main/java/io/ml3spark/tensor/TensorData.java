package io.ml3spark.tensor;


/**
 * An immutable dense array of doubles owned by one {@link Backend}. Values never change
 * after a kernel returns them, so backends may share storage between a tensor and its
 * reshapes. This is the raw value; {@code io.ml3spark.autodiff.Tensor} adds the graph.
 */
public interface TensorData {
    Shape shape();

    Backend backend();

    /** A fresh row-major copy of the values. */
    double[] toArray();

    /** The single value of a tensor with one element. */
    default double item() {
        if (shape().size() != 1) {
            throw new ShapeException("item", "tensor of shape " + shape() + " has " + shape().size() + " elements, not 1");
        }
        return toArray()[0];
    }
}
