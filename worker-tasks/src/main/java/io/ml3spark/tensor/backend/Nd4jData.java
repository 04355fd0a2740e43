package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tensor values of an {@link Nd4jBackend}: a c-order INDArray of the backend's type that no
 * kernel writes after construction (a reshape may share its buffer).
 */
final class Nd4jData implements TensorData {
    final INDArray array;
    private final Nd4jBackend backend;
    private final Shape shape;

    Nd4jData(Nd4jBackend backend, INDArray array) {
        if (array.dataType() != backend.type) {
            throw new IllegalArgumentException("the " + backend.precision().configName() + " nd4j backend holds "
                    + backend.type + " arrays, got " + array.dataType());
        }
        this.backend = backend;
        this.array = array;
        this.shape = Nd4jArrays.shapeOf(array);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return backend;
    }

    /** Copies from the device: the array may be a view, so it is laid out in c-order first. */
    @Override
    public double[] toArray() {
        return array.dup('c').data().asDouble();
    }

    @Override
    public double item() {
        if (shape.size() != 1) {
            return TensorData.super.item();
        }
        return array.getDouble(0L);
    }

    @Override
    public String toString() {
        return "Nd4jData" + shape;
    }
}
