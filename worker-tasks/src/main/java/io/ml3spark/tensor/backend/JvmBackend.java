package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;

import java.util.Arrays;
import java.util.List;

/**
 * The default backend: plain Java loops over {@code double[]}. For ML3's small networks a
 * loop costs about a microsecond where a native call costs tens (see docs/design.md,
 * "Tensor backends"), so this is the backend CPU executors use.
 */
public final class JvmBackend implements Backend {
    public static final JvmBackend INSTANCE = new JvmBackend();

    private JvmBackend() {
    }

    /** Measured with {@code bench --blocks} (docs/performance.md): 2 and 4 fastest at B = 256, 8 close. */
    static final int TASKS_PER_BLOCK = 4;

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public int tasksPerBlock() {
        return TASKS_PER_BLOCK;
    }

    private static JvmData jvm(TensorData t) {
        if (t instanceof JvmData d) {
            return d;
        }
        throw new IllegalArgumentException("tensor of backend '" + t.backend().name() + "' passed to the jvm backend");
    }

    @Override
    public TensorData fromArray(Shape shape, double[] values) {
        return new JvmData(shape, values.clone());
    }

    @Override
    public TensorData full(Shape shape, double value) {
        double[] v = new double[shape.size()];
        if (value != 0.0) {
            Arrays.fill(v, value);
        }
        return new JvmData(shape, v);
    }

    @Override
    public TensorData unary(UnaryKernel kernel, TensorData a, double p) {
        double[] x = jvm(a).values;
        double[] y = new double[x.length];
        switch (kernel) {
            case NEG -> {
                for (int i = 0; i < x.length; i++) {
                    y[i] = -x[i];
                }
            }
            case RELU -> ReluLoops.INSTANCE.relu(x, y);
            case STEP -> ReluLoops.INSTANCE.step(x, y);
            case ABS -> {
                for (int i = 0; i < x.length; i++) {
                    y[i] = Math.abs(x[i]);
                }
            }
            default -> {
                for (int i = 0; i < x.length; i++) {
                    y[i] = kernel.apply(x[i], p);
                }
            }
        }
        return new JvmData(a.shape(), y);
    }

    @Override
    public TensorData binary(BinaryKernel kernel, TensorData a, TensorData b) {
        JvmData da = jvm(a);
        JvmData db = jvm(b);
        double[] x = da.values;
        double[] y = db.values;
        if (a.shape().equals(b.shape())) {
            double[] z = new double[x.length];
            sameShape(kernel, x, y, z);
            return new JvmData(a.shape(), z);
        }
        Shape out = Shape.broadcast(kernel.name(), a.shape(), b.shape());
        double[] z = new double[out.size()];
        if (y.length == 1 && x.length == z.length) {
            scalarRight(kernel, x, y[0], z);
        } else {
            StridedLoop.forEachRow(out.dims(), a.shape().broadcastStrides(out), b.shape().broadcastStrides(out),
                    (o, ia, ib, len, sa, sb) -> BinaryRows.apply(kernel, x, ia, sa, y, ib, sb, z, o, len));
        }
        return new JvmData(out, z);
    }

    // Whole-array loops kept apart from BinaryRows: with no offsets the JIT's code runs ~1.5x faster on [100, 100].
    private static void sameShape(BinaryKernel kernel, double[] x, double[] y, double[] z) {
        switch (kernel) {
            case ADD -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = x[i] + y[i];
                }
            }
            case SUB -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = x[i] - y[i];
                }
            }
            case MUL -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = x[i] * y[i];
                }
            }
            case WHERE_POSITIVE -> ReluLoops.INSTANCE.wherePositive(x, y, z);
            default -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = kernel.apply(x[i], y[i]);
                }
            }
        }
    }

    private static void scalarRight(BinaryKernel kernel, double[] x, double s, double[] z) {
        switch (kernel) {
            case ADD -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = x[i] + s;
                }
            }
            case MUL -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = x[i] * s;
                }
            }
            default -> {
                for (int i = 0; i < z.length; i++) {
                    z[i] = kernel.apply(x[i], s);
                }
            }
        }
    }

    @Override
    public TensorData where(TensorData mask, TensorData a, TensorData b, Shape shape) {
        double[] m = jvm(broadcastTo(mask, shape)).values;
        double[] x = jvm(a).values;
        double[] y = jvm(b).values;
        double[] z = new double[shape.size()];
        StridedLoop.forEachRow(shape.dims(), a.shape().broadcastStrides(shape), b.shape().broadcastStrides(shape),
                (o, ia, ib, len, sa, sb) -> {
                    for (int j = 0; j < len; j++) {
                        z[o + j] = m[o + j] != 0.0 ? x[ia + j * sa] : y[ib + j * sb];
                    }
                });
        return new JvmData(shape, z);
    }

    @Override
    public TensorData matmul(TensorData a, boolean transposeA, TensorData b, boolean transposeB) {
        MatMulShapes s = MatMulShapes.of(a.shape(), transposeA, b.shape(), transposeB);
        double[] x = jvm(a).values;
        double[] y = jvm(b).values;
        double[] z = new double[s.result().size()];
        int batches = s.batch().size();
        if (b.shape().rank() == 2 && !transposeA && a.shape().size() == batches * s.n() * s.k()) {
            // B shared by the whole batch: one product with the batch's rows stacked
            Gemm.multiply(x, 0, false, y, 0, transposeB, z, 0, batches * s.n(), s.k(), s.m());
            return new JvmData(s.result(), z);
        }
        int[] offA = batchOffsets(a.shape(), s.batch(), s.n() * s.k());
        int[] offB = batchOffsets(b.shape(), s.batch(), s.k() * s.m());
        for (int t = 0; t < batches; t++) {
            Gemm.multiply(x, offA[t], transposeA, y, offB[t], transposeB, z, t * s.n() * s.m(),
                    s.n(), s.k(), s.m());
        }
        return new JvmData(s.result(), z);
    }

    /** Offset of each broadcast batch's matrix inside an operand of shape {@code operand}. */
    private static int[] batchOffsets(Shape operand, Shape batch, int matrixSize) {
        int[] offsets = new int[batch.size()];
        if (operand.rank() == 2) {
            return offsets;
        }
        if (operand.rank() - 2 == batch.rank() && (long) operand.size() == (long) batch.size() * matrixSize) {
            // same rank and size: its batch dimensions are the broadcast ones, nothing is stretched
            for (int t = 0; t < offsets.length; t++) {
                offsets[t] = t * matrixSize;
            }
            return offsets;
        }
        int[] strides = operand.sub(0, operand.rank() - 2).broadcastStrides(batch);
        StridedLoop.forEachRow(batch.dims(), strides, new int[batch.rank()], (o, ia, ib, len, sa, sb) -> {
            for (int j = 0; j < len; j++) {
                offsets[o + j] = (ia + j * sa) * matrixSize;
            }
        });
        return offsets;
    }

    @Override
    public TensorData sumTo(TensorData a, Shape target) {
        return reduceTo("sumTo", a, target, 0.0, (x, z, o, it, len, st) -> {
            if (st == 0) {
                double acc = 0;
                for (int j = 0; j < len; j++) {
                    acc += x[o + j];
                }
                z[it] += acc;
            } else {
                for (int j = 0; j < len; j++) {
                    z[it + j] += x[o + j];
                }
            }
        });
    }

    @Override
    public TensorData maxTo(TensorData a, Shape target) {
        return reduceTo("maxTo", a, target, Double.NEGATIVE_INFINITY, (x, z, o, it, len, st) -> {
            for (int j = 0; j < len; j++) {
                z[it + j * st] = Math.max(z[it + j * st], x[o + j]);
            }
        });
    }

    /** Folds one row of {@code x} (from {@code o}, {@code len} long) into {@code z} at {@code it}, stride {@code st} (0: one cell). */
    private interface RowReduction {
        void fold(double[] x, double[] z, int o, int it, int len, int st);
    }

    private TensorData reduceTo(String op, TensorData a, Shape target, double initial, RowReduction reduction) {
        if (a.shape().equals(target)) {
            return a;
        }
        checkReducible(op, a.shape(), target);
        double[] x = jvm(a).values;
        double[] z = new double[target.size()];
        if (initial != 0.0) {
            Arrays.fill(z, initial);
        }
        StridedLoop.forEachRow(a.shape().dims(), target.broadcastStrides(a.shape()), new int[a.shape().rank()],
                (o, it, unused, len, st, unusedStride) -> reduction.fold(x, z, o, it, len, st));
        return new JvmData(target, z);
    }

    private static void checkReducible(String op, Shape from, Shape target) {
        if (!target.broadcastsTo(from)) {
            throw new ShapeException(op, "cannot reduce shape " + from + " to " + target);
        }
    }

    @Override
    public TensorData broadcastTo(TensorData a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (!a.shape().broadcastsTo(target)) {
            throw new ShapeException("broadcastTo", "cannot broadcast shape " + a.shape() + " to " + target);
        }
        double[] x = jvm(a).values;
        double[] z = new double[target.size()];
        StridedLoop.forEachRow(target.dims(), a.shape().broadcastStrides(target), new int[target.rank()],
                (o, ia, unused, len, sa, unusedStride) -> {
                    if (sa == 0) {
                        Arrays.fill(z, o, o + len, x[ia]);
                    } else {
                        System.arraycopy(x, ia, z, o, len);
                    }
                });
        return new JvmData(target, z);
    }

    @Override
    public TensorData reshape(TensorData a, Shape target) {
        return new JvmData(target, jvm(a).values);
    }

    @Override
    public TensorData transpose(TensorData a) {
        Shape s = a.shape();
        int r = s.dim(-2);
        int c = s.dim(-1);
        Shape out = s.withDim(-2, c).withDim(-1, r);
        double[] x = jvm(a).values;
        double[] z = new double[x.length];
        int mats = s.size() / Math.max(1, r * c);
        for (int t = 0; t < mats; t++) {
            int base = t * r * c;
            for (int i = 0; i < r; i++) {
                for (int j = 0; j < c; j++) {
                    z[base + j * r + i] = x[base + i * c + j];
                }
            }
        }
        return new JvmData(out, z);
    }

    @Override
    public TensorData concat(List<TensorData> parts, int axis) {
        Shape first = parts.get(0).shape();
        int ax = first.normalizeAxis(axis);
        int total = 0;
        for (TensorData p : parts) {
            total += p.shape().dim(ax);
        }
        Shape out = first.withDim(ax, total);
        int outer = first.sub(0, ax).size();
        int inner = first.sub(ax + 1, first.rank()).size();
        double[] z = new double[out.size()];
        int dst = 0;
        for (int o = 0; o < outer; o++) {
            for (TensorData p : parts) {
                int chunk = p.shape().dim(ax) * inner;
                System.arraycopy(jvm(p).values, o * chunk, z, dst, chunk);
                dst += chunk;
            }
        }
        return new JvmData(out, z);
    }

    @Override
    public TensorData slice(TensorData a, int axis, int start, int end) {
        Shape s = a.shape();
        int ax = s.normalizeAxis(axis);
        Shape out = s.withDim(ax, end - start);
        int outer = s.sub(0, ax).size();
        int inner = s.sub(ax + 1, s.rank()).size();
        double[] x = jvm(a).values;
        double[] z = new double[out.size()];
        int chunk = (end - start) * inner;
        for (int o = 0; o < outer; o++) {
            System.arraycopy(x, (o * s.dim(ax) + start) * inner, z, o * chunk, chunk);
        }
        return new JvmData(out, z);
    }
}
