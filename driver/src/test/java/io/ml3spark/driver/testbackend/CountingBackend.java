package io.ml3spark.driver.testbackend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import io.ml3spark.tensor.backend.JvmBackend;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A backend that lives only in test sources: the jvm backend's kernels behind tensors of its
 * own, counting every kernel call, so a test can tell that a run computed on it.
 */
final class CountingBackend implements Backend {
    static final CountingBackend INSTANCE = new CountingBackend();
    static final AtomicLong KERNEL_CALLS = new AtomicLong();

    private static final Backend INNER = JvmBackend.INSTANCE;

    private CountingBackend() {
    }

    /** A tensor of this backend: the jvm backend's tensor inside. */
    private record Counted(TensorData inner) implements TensorData {
        @Override
        public Shape shape() {
            return inner.shape();
        }

        @Override
        public Backend backend() {
            return INSTANCE;
        }

        @Override
        public double[] toArray() {
            return inner.toArray();
        }
    }

    private static TensorData in(TensorData t) {
        if (t instanceof Counted c) {
            return c.inner();
        }
        throw new IllegalArgumentException("tensor of backend '" + t.backend().name() + "' passed to " + INSTANCE.name());
    }

    private static TensorData out(TensorData t) {
        KERNEL_CALLS.incrementAndGet();
        return new Counted(t);
    }

    @Override
    public String name() {
        return CountingBackendProvider.NAME;
    }

    @Override
    public int tasksPerBlock() {
        return INNER.tasksPerBlock();
    }

    @Override
    public TensorData fromArray(Shape shape, double[] values) {
        return out(INNER.fromArray(shape, values));
    }

    @Override
    public TensorData full(Shape shape, double value) {
        return out(INNER.full(shape, value));
    }

    @Override
    public TensorData unary(UnaryKernel kernel, TensorData a, double p) {
        return out(INNER.unary(kernel, in(a), p));
    }

    @Override
    public TensorData binary(BinaryKernel kernel, TensorData a, TensorData b) {
        return out(INNER.binary(kernel, in(a), in(b)));
    }

    @Override
    public TensorData where(TensorData mask, TensorData a, TensorData b, Shape shape) {
        return out(INNER.where(in(mask), in(a), in(b), shape));
    }

    @Override
    public TensorData matmul(TensorData a, boolean transposeA, TensorData b, boolean transposeB) {
        return out(INNER.matmul(in(a), transposeA, in(b), transposeB));
    }

    @Override
    public TensorData sumTo(TensorData a, Shape target) {
        return out(INNER.sumTo(in(a), target));
    }

    @Override
    public TensorData maxTo(TensorData a, Shape target) {
        return out(INNER.maxTo(in(a), target));
    }

    @Override
    public TensorData broadcastTo(TensorData a, Shape target) {
        return out(INNER.broadcastTo(in(a), target));
    }

    @Override
    public TensorData reshape(TensorData a, Shape target) {
        return out(INNER.reshape(in(a), target));
    }

    @Override
    public TensorData transpose(TensorData a) {
        return out(INNER.transpose(in(a)));
    }

    @Override
    public TensorData concat(List<TensorData> parts, int axis) {
        return out(INNER.concat(parts.stream().map(CountingBackend::in).toList(), axis));
    }

    @Override
    public TensorData slice(TensorData a, int axis, int start, int end) {
        return out(INNER.slice(in(a), axis, start, end));
    }
}
