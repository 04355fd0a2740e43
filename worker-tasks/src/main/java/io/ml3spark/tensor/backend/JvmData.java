package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;

/** Tensor values of the {@link JvmBackend}: a row-major {@code double[]} never written after construction. */
final class JvmData implements TensorData {
    final Shape shape;
    final double[] values;

    JvmData(Shape shape, double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + values.length);
        }
        this.shape = shape;
        this.values = values;
    }

    @Override
    public Shape shape() {
        return shape;
    }

    @Override
    public Backend backend() {
        return JvmBackend.INSTANCE;
    }

    @Override
    public double[] toArray() {
        return values.clone();
    }

    @Override
    public String toString() {
        return "JvmData" + shape;
    }
}
