package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.INDArrayIndex;
import org.nd4j.linalg.indexing.NDArrayIndex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.IntStream;

/**
 * The backend on ND4J, for executors where one call carries the work of many tasks (a GPU
 * through the {@code cuda} Maven profile, or large batches on CPU). Every kernel is one or a
 * few ND4J ops, so data stays on the device; only {@link TensorData#toArray} copies to the
 * JVM. Arrays are created in the backend's own type ({@link #INSTANCE}: {@code DOUBLE},
 * {@link #FLOAT32}: {@code FLOAT}); ND4J's global default types are left alone.
 *
 * <p>ND4J refuses ops on empty arrays (and matrix products with inner dimension 0), so
 * kernels whose result has no element, or is a reduction of none, are answered without it.
 * Elementwise differences from the JVM backend are listed in {@link Nd4jElementwise}.
 */
public final class Nd4jBackend implements Backend {
    /** CPU threads per ND4J op when {@code OMP_NUM_THREADS} is unset; default 1, as an executor runs a task per core. */
    public static final String THREADS_PROPERTY = "ml3.nd4j.threads";

    /** float64. */
    public static final Nd4jBackend INSTANCE = new Nd4jBackend(Precision.FLOAT64);
    public static final Nd4jBackend FLOAT32 = new Nd4jBackend(Precision.FLOAT32);

    final DataType type;
    private final Precision precision;

    private Nd4jBackend(Precision precision) {
        this.precision = precision;
        this.type = precision == Precision.FLOAT32 ? DataType.FLOAT : DataType.DOUBLE;
        limitCpuThreads();
    }

    /**
     * libnd4j reads OMP_NUM_THREADS once at load and otherwise uses every core in each op.
     * In M2.1 {@code Environment.setMaxThreads} is a no-op; the master-thread limit and the
     * BLAS thread count are what bound an op.
     */
    private static void limitCpuThreads() {
        if (System.getenv("OMP_NUM_THREADS") != null || !Nd4j.getEnvironment().isCPU()) {
            return;
        }
        int threads = Integer.getInteger(THREADS_PROPERTY, 1);
        Nd4j.getEnvironment().setMaxMasterThreads(threads);
        Nd4j.factory().blas().setMaxThreads(threads);
    }

    /**
     * Places the calling thread's subsequent ND4J arrays and ops on CUDA device {@code device}
     * (a CUDA ordinal, as Spark's GPU discovery reports it). Returns the device ND4J then reports
     * for the thread, or empty on the CPU build of ND4J, which has no device to choose.
     */
    static OptionalInt useDevice(int device) {
        if (Nd4j.getEnvironment().isCPU()) {
            return OptionalInt.empty();
        }
        int devices = Nd4j.getAffinityManager().getNumberOfDevices();
        if (device < 0 || device >= devices) {
            throw new IllegalArgumentException("GPU " + device + " is not a CUDA device of this process (ND4J sees "
                    + devices + "; are CUDA_VISIBLE_DEVICES and the GPU discovery script consistent?)");
        }
        Nd4j.getAffinityManager().unsafeSetDevice(device);
        return OptionalInt.of(Nd4j.getAffinityManager().getDeviceForCurrentThread());
    }

    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Precision precision() {
        return precision;
    }

    private INDArray nd(TensorData t) {
        if (t instanceof Nd4jData d && t.backend() == this) {
            return d.array;
        }
        throw new IllegalArgumentException("tensor of backend '" + t.backend().name() + "' ("
                + t.backend().precision().configName() + ") passed to the " + precision.configName() + " nd4j backend");
    }

    private TensorData wrap(INDArray array) {
        return new Nd4jData(this, array);
    }

    @Override
    public TensorData fromArray(Shape shape, double[] values) {
        if (values.length != shape.size()) {
            throw new IllegalArgumentException("shape " + shape + " needs " + shape.size() + " values, got " + values.length);
        }
        return wrap(Nd4j.create(values, Nd4jArrays.dims(shape), type));
    }

    @Override
    public TensorData full(Shape shape, double value) {
        return wrap(Nd4j.valueArrayOf(Nd4jArrays.dims(shape), value, type));
    }

    @Override
    public TensorData unary(UnaryKernel kernel, TensorData a, double p) {
        if (a.shape().size() == 0) {
            return a;
        }
        return wrap(Nd4jElementwise.unary(kernel, nd(a), p));
    }

    @Override
    public TensorData binary(BinaryKernel kernel, TensorData a, TensorData b) {
        Shape out = Shape.broadcast(kernel.name().toLowerCase(), a.shape(), b.shape());
        if (out.size() == 0) {
            return full(out, 0.0);
        }
        return wrap(Nd4jElementwise.binary(kernel, nd(a), nd(b), Nd4jArrays.dims(out)));
    }

    @Override
    public TensorData where(TensorData mask, TensorData a, TensorData b, Shape shape) {
        if (shape.size() == 0) {
            return full(shape, 0.0);
        }
        return wrap(Nd4jElementwise.where(nd(mask), nd(a), nd(b), Nd4jArrays.dims(shape)));
    }

    /**
     * ND4J's batched matmul wants equal batch dimensions, so broadcast batches are
     * materialised first, except for the common case of a batch of untransposed left
     * operands against one shared matrix, which is a single flat product.
     */
    @Override
    public TensorData matmul(TensorData a, boolean transposeA, TensorData b, boolean transposeB) {
        MatMulShapes s = MatMulShapes.of(a.shape(), transposeA, b.shape(), transposeB);
        if (s.result().size() == 0 || s.k() == 0) {
            return full(s.result(), 0.0);
        }
        INDArray x = nd(a);
        INDArray y = nd(b);
        long[] resultDims = Nd4jArrays.dims(s.result());
        if (!transposeA && x.rank() > 2 && y.rank() == 2) {
            INDArray rows = x.reshape('c', new long[] {x.length() / s.k(), s.k()});
            return wrap(Nd4j.matmul(rows, y, false, transposeB, false).reshape('c', resultDims));
        }
        INDArray z = Nd4j.matmul(withBatch(x, s.batch()), withBatch(y, s.batch()), transposeA, transposeB, false);
        return wrap(z);
    }

    private static INDArray withBatch(INDArray x, Shape batch) {
        long[] dims = Arrays.copyOf(Nd4jArrays.dims(batch), batch.rank() + 2);
        dims[batch.rank()] = x.size(-2);
        dims[batch.rank() + 1] = x.size(-1);
        return Nd4jArrays.broadcast(x, dims);
    }

    @Override
    public TensorData sumTo(TensorData a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (a.shape().size() == 0) {
            return full(target, 0.0);
        }
        return wrap(nd(a).sum(true, reducedAxes(a.shape(), target)).reshape('c', Nd4jArrays.dims(target)));
    }

    @Override
    public TensorData maxTo(TensorData a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (a.shape().size() == 0) {
            return full(target, Double.NEGATIVE_INFINITY);
        }
        return wrap(nd(a).max(true, reducedAxes(a.shape(), target)).reshape('c', Nd4jArrays.dims(target)));
    }

    /** The axes of {@code from} that {@code target} (aligned right) lacks or has as 1. */
    private static int[] reducedAxes(Shape from, Shape target) {
        int offset = from.rank() - target.rank();
        return IntStream.range(0, from.rank())
                .filter(i -> i < offset || target.dim(i - offset) == 1)
                .toArray();
    }

    @Override
    public TensorData broadcastTo(TensorData a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (target.size() == 0) {
            return full(target, 0.0);
        }
        return wrap(Nd4jArrays.broadcast(nd(a), Nd4jArrays.dims(target)));
    }

    @Override
    public TensorData reshape(TensorData a, Shape target) {
        return wrap(nd(a).reshape('c', Nd4jArrays.dims(target)));
    }

    @Override
    public TensorData transpose(TensorData a) {
        Shape s = a.shape();
        int r = s.rank();
        Shape out = s.withDim(-2, s.dim(-1)).withDim(-1, s.dim(-2));
        if (out.size() == 0) {
            return full(out, 0.0);
        }
        int[] order = IntStream.range(0, r).map(i -> i < r - 2 ? i : 2 * r - 3 - i).toArray();
        return wrap(nd(a).permute(order).dup('c'));
    }

    @Override
    public TensorData concat(List<TensorData> parts, int axis) {
        int ax = parts.get(0).shape().normalizeAxis(axis);
        List<INDArray> nonEmpty = new ArrayList<>(parts.size());
        int total = 0;
        for (TensorData p : parts) {
            total += p.shape().dim(ax);
            if (p.shape().size() > 0) {
                nonEmpty.add(nd(p));
            }
        }
        Shape out = parts.get(0).shape().withDim(ax, total);
        if (out.size() == 0) {
            return full(out, 0.0);
        }
        if (nonEmpty.size() == 1) {
            return wrap(nonEmpty.get(0));
        }
        return wrap(Nd4j.concat(ax, nonEmpty.toArray(new INDArray[0])));
    }

    @Override
    public TensorData slice(TensorData a, int axis, int start, int end) {
        Shape s = a.shape();
        int ax = s.normalizeAxis(axis);
        Shape out = s.withDim(ax, end - start);
        if (out.size() == 0) {
            return full(out, 0.0);
        }
        INDArrayIndex[] index = new INDArrayIndex[s.rank()];
        for (int i = 0; i < index.length; i++) {
            index[i] = i == ax ? NDArrayIndex.interval(start, end) : NDArrayIndex.all();
        }
        return wrap(nd(a).get(index).dup('c'));
    }
}
