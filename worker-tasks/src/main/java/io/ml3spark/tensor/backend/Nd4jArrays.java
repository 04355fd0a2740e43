package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.broadcast.BroadcastTo;
import org.nd4j.linalg.factory.Nd4j;

import java.util.Arrays;

/** Conversions between {@link Shape} and ND4J shapes, and the array helpers the ND4J kernels share. */
final class Nd4jArrays {
    private Nd4jArrays() {
    }

    static long[] dims(Shape shape) {
        return Arrays.stream(shape.dims()).asLongStream().toArray();
    }

    static Shape shapeOf(INDArray array) {
        return Shape.of(Arrays.stream(array.shape()).mapToInt(Math::toIntExact).toArray());
    }

    /** A new array that a kernel is about to fill completely. */
    static INDArray uninitialized(DataType type, long[] dims) {
        return Nd4j.createUninitialized(type, dims);
    }

    /** {@code x} viewed with leading dimensions of size 1 added up to {@code rank}. */
    static INDArray withRank(INDArray x, int rank) {
        if (x.rank() == rank) {
            return x;
        }
        long[] dims = new long[rank];
        Arrays.fill(dims, 1L);
        System.arraycopy(x.shape(), 0, dims, rank - x.rank(), x.rank());
        return x.reshape('c', dims);
    }

    /** {@code x} stretched (NumPy rules) to {@code dims}; {@code x} itself when it already has them. */
    static INDArray broadcast(INDArray x, long[] dims) {
        if (Arrays.equals(x.shape(), dims)) {
            return x;
        }
        INDArray z = Nd4j.createUninitialized(x.dataType(), dims);
        Nd4j.exec(new BroadcastTo(x, dims, z));
        return z;
    }
}
