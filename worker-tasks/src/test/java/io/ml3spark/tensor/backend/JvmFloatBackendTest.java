package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Backends;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every kernel of the float32 jvm backend against the float64 one on the same float-exact
 * inputs: equal to within float rounding (a few units in the last place of a float, scaled
 * by the length of a sum), and every value it holds a float.
 */
class JvmFloatBackendTest {
    private static final Backend F64 = JvmBackend.INSTANCE;
    private static final Backend F32 = Backends.byName("jvm", Precision.FLOAT32);
    /** float's unit roundoff, 2^-24. */
    private static final double U = 0x1p-24;

    private final SplittableRandom rng = new SplittableRandom(20261207);

    private double[] floats(int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = (float) rng.nextDouble(-2, 2);
        }
        return v;
    }

    /** Runs {@code call} on both backends with inputs of the given shapes; {@code terms} bounds the length of any sum in it. */
    private void check(String what, int terms, BiFunction<Backend, List<TensorData>, TensorData> call, Shape... shapes) {
        List<double[]> values = new ArrayList<>();
        for (Shape s : shapes) {
            values.add(floats(s.size()));
        }
        TensorData expected = call.apply(F64, on(F64, shapes, values));
        TensorData actual = call.apply(F32, on(F32, shapes, values));
        assertSame(F32, actual.backend(), what);
        assertEquals(expected.shape(), actual.shape(), what);
        double[] e = expected.toArray();
        double[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(a[i], (double) (float) a[i], 0.0, what + ": a float at " + i);
            if (Double.compare(e[i], a[i]) == 0) {
                continue;
            }
            double bound = 4 * (terms + 1) * U * Math.max(1.0, Math.abs(e[i]));
            if (!(Math.abs(a[i] - e[i]) <= bound)) {
                fail(what + ": element " + i + " is " + a[i] + ", float64 gives " + e[i]);
            }
        }
    }

    private static List<TensorData> on(Backend backend, Shape[] shapes, List<double[]> values) {
        List<TensorData> out = new ArrayList<>();
        for (int i = 0; i < shapes.length; i++) {
            out.add(backend.fromArray(shapes[i], values.get(i)));
        }
        return out;
    }

    @Test
    void valuesAreStoredAndComputedInFloat() {
        assertEquals(Precision.FLOAT32, F32.precision());
        assertEquals("jvm", F32.name());
        assertEquals(Precision.FLOAT64, Backends.byName("jvm").precision());
        TensorData third = F32.binary(BinaryKernel.DIV, F32.full(Shape.of(3), 1.0), F32.full(Shape.of(3), 3.0));
        assertEquals((double) (1.0f / 3.0f), third.toArray()[0], 0.0);
        assertEquals((double) (float) 0.1, F32.fromArray(Shape.of(1), new double[] {0.1}).item(), 0.0);
        assertEquals((double) (float) Math.PI, F32.full(Shape.SCALAR, Math.PI).item(), 0.0);
    }

    @Test
    void sineMetaGradientAgreesWithFloat64ToFloatAccuracy() {
        double[] f64 = Nd4jFloat32Test.metaGradient(F64);
        double[] f32 = Nd4jFloat32Test.metaGradient(F32);
        double norm = 0;
        double diff = 0;
        for (int i = 0; i < f64.length; i++) {
            norm += f64[i] * f64[i];
            diff += (f32[i] - f64[i]) * (f32[i] - f64[i]);
        }
        double relative = Math.sqrt(diff / norm);
        assertTrue(relative < 1e-4, "float32 vs float64 relative error " + relative);
        assertTrue(relative > 1e-9, "float32 must differ from float64 by float rounding, got " + relative);
    }

    @Test
    void tensorsOfTheOtherPrecisionAreRefused() {
        TensorData f64 = F64.full(Shape.of(2), 1.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> F32.unary(UnaryKernel.NEG, f64, 0));
        assertEquals("tensor of backend 'jvm' (float64) passed to the float32 jvm backend", e.getMessage());
        TensorData f32 = F32.full(Shape.of(2), 1.0);
        assertThrows(IllegalArgumentException.class, () -> F64.binary(BinaryKernel.ADD, f64, f32));
    }

    @ParameterizedTest
    @EnumSource(UnaryKernel.class)
    void unaryKernels(UnaryKernel kernel) {
        double p = switch (kernel) {
            case ELU -> 0.5;
            case POW -> 2;
            case GE_SCALAR, LE_SCALAR -> 0.3;
            default -> 0;
        };
        if (kernel == UnaryKernel.POW || kernel == UnaryKernel.LOG || kernel == UnaryKernel.SQRT) {
            check(kernel + " of positives", 1, (b, in) -> b.unary(kernel, b.unary(UnaryKernel.ABS, in.get(0), 0), p),
                    Shape.of(3, 17));
        } else {
            check(kernel.toString(), 1, (b, in) -> b.unary(kernel, in.get(0), p), Shape.of(3, 17));
        }
    }

    @ParameterizedTest
    @EnumSource(BinaryKernel.class)
    void binaryKernelsBroadcast(BinaryKernel kernel) {
        int[][][] shapes = {{{3, 9}, {3, 9}}, {{3, 9}, {}}, {{}, {3, 9}}, {{3, 1}, {1, 9}}, {{9}, {2, 3, 9}}, {{2, 1, 9}, {3, 1}}};
        for (int[][] s : shapes) {
            check(kernel + " " + Shape.of(s[0]) + " " + Shape.of(s[1]), 1,
                    (b, in) -> b.binary(kernel, in.get(0), in.get(1)), Shape.of(s[0]), Shape.of(s[1]));
        }
    }

    @Test
    void structuralKernels() {
        check("where", 1, (b, in) -> b.where(b.unary(UnaryKernel.STEP, in.get(0), 0), in.get(1), in.get(2), Shape.of(4, 6)),
                Shape.of(4, 6), Shape.of(6), Shape.SCALAR);
        check("sumTo", 40, (b, in) -> b.sumTo(in.get(0), Shape.of(5, 1)), Shape.of(5, 40));
        check("sumTo rows", 40, (b, in) -> b.sumTo(in.get(0), Shape.of(7)), Shape.of(40, 7));
        check("maxTo", 1, (b, in) -> b.maxTo(in.get(0), Shape.of(1, 7)), Shape.of(9, 7));
        check("broadcastTo", 1, (b, in) -> b.broadcastTo(in.get(0), Shape.of(3, 4, 5)), Shape.of(4, 1));
        check("reshape", 1, (b, in) -> b.reshape(in.get(0), Shape.of(6, 2)), Shape.of(3, 4));
        check("transpose", 1, (b, in) -> b.transpose(in.get(0)), Shape.of(2, 3, 5));
        check("concat", 1, (b, in) -> b.concat(in, 1), Shape.of(2, 3), Shape.of(2, 4));
        check("slice", 1, (b, in) -> b.slice(in.get(0), 1, 1, 4), Shape.of(3, 6, 2));
    }

    @Test
    void matmulEveryTransposeBatchAndTileEdge() {
        int[][] sizes = {{1, 3, 1}, {3, 5, 2}, {4, 7, 4}, {5, 9, 7}, {6, 11, 8}, {7, 13, 17}, {12, 5, 16}, {13, 20, 10},
            {100, 100, 10}, {100, 10, 100}, {100, 50, 50}, {2, 600, 50}, {20, 1100, 13},
            // narrow: rows of C from rows of B, dot products, columns of C from a stored-transposed A
            {1, 100, 100}, {2, 400, 50}, {3, 9, 8}, {2, 17, 33}, {400, 50, 1}, {400, 50, 2}, {100, 10, 1},
            {50, 400, 1}, {10, 100, 1}, {9, 20, 3}, {40, 7, 2}, {64, 33, 1}};
        for (int[] s : sizes) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                Shape a = ta ? Shape.of(2, s[1], s[0]) : Shape.of(2, s[0], s[1]);
                Shape b = tb ? Shape.of(s[2], s[1]) : Shape.of(s[1], s[2]);
                check("matmul " + a + (ta ? "^T" : "") + " @ " + b + (tb ? "^T" : ""), s[1],
                        (be, in) -> be.matmul(in.get(0), ta, in.get(1), tb), a, b);
            }
        }
    }

    @Test
    void floatReluLoopsEqualTheScalarKernelsExactly() {
        float[] special = {0f, -0f, 1f, -1f, Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MIN_VALUE};
        for (FloatReluLoops loops : List.of(FloatReluLoops.PLAIN, FloatReluLoops.INSTANCE)) {
            for (int len = 0; len < 27; len++) {
                float[] x = new float[len];
                float[] g = new float[len];
                for (int i = 0; i < len; i++) {
                    x[i] = i < special.length ? special[(i + len) % special.length] : (float) rng.nextDouble(-1, 1);
                    g[i] = (float) rng.nextDouble(-2, 2);
                }
                float[] relu = new float[len];
                float[] step = new float[len];
                float[] adjoint = new float[len];
                loops.relu(x, relu);
                loops.step(x, step);
                loops.wherePositive(g, x, adjoint);
                for (int i = 0; i < len; i++) {
                    String what = loops.getClass().getSimpleName() + " at " + x[i];
                    assertEquals((float) UnaryKernel.RELU.apply(x[i], 0), relu[i], what);
                    assertEquals((float) UnaryKernel.STEP.apply(x[i], 0), step[i], what);
                    assertEquals((float) BinaryKernel.WHERE_POSITIVE.apply(g[i], x[i]), adjoint[i], what);
                }
            }
        }
    }

    @Test
    void theVectorFloatKernelsAreUsedWhenTheirModuleIsPresent() {
        boolean vector = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean(VectorApi.DISABLE_PROPERTY);
        assertTrue(vector ? FloatGemm.KERNEL instanceof VectorFloatGemmKernel : FloatGemm.KERNEL == FloatGemm.PLAIN,
                FloatGemm.KERNEL.getClass().getName());
        assertTrue(vector ? FloatGemm.NARROW instanceof VectorFloatNarrowGemm : FloatGemm.NARROW == null, "float32 narrow products");
        assertEquals(null, Gemm.NARROW, "float64 keeps its plain narrow products and their summation order");
        // VectorApi.load falls back quietly where a precision has no Vector class: a misspelt name must not pass unseen
        assertTrue(vector ? ReluLoops.INSTANCE instanceof VectorReluLoops : ReluLoops.INSTANCE == ReluLoops.PLAIN);
        assertTrue(vector ? FloatReluLoops.INSTANCE instanceof VectorFloatReluLoops
                : FloatReluLoops.INSTANCE == FloatReluLoops.PLAIN);
    }
}
