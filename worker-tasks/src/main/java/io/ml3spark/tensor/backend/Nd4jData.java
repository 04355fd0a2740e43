package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Tensor values of the {@link Nd4jBackend}: a c-order {@code DOUBLE} INDArray that no kernel
 * writes after construction (a reshape may share its buffer).
 */
final class Nd4jData implements TensorData {
    final INDArray array;
    private final Shape shape;

    Nd4jData(INDArray array) {
        if (array.dataType() != DataType.DOUBLE) {
            throw new IllegalArgumentException("the nd4j backend holds DOUBLE arrays, got " + array.dataType());
        }
        this.array = array;
        this.shape = Nd4jArrays.shapeOf(array);
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return Nd4jBackend.INSTANCE;
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
