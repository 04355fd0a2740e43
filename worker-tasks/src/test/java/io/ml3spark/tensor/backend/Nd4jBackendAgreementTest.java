package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static io.ml3spark.tensor.backend.Agreement.assertAgree;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Every kernel of the {@link Nd4jBackend} against the {@link JvmBackend} on the same inputs. */
class Nd4jBackendAgreementTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final Backend ND4J = Nd4jBackend.INSTANCE;

    private final SplittableRandom rng = new SplittableRandom(20240611);

    /** One kernel call, made on each backend with that backend's copies of the inputs. */
    @FunctionalInterface
    private interface Call {
        TensorData apply(Backend backend, List<TensorData> inputs);
    }

    private record Input(Shape shape, double[] values) {
    }

    private Input random(int... dims) {
        Shape s = Shape.of(dims);
        return new Input(s, rng.doubles(s.size(), -2, 2).toArray());
    }

    /** Values on a grid of halves, so that ties and zeros occur. */
    private Input grid(int... dims) {
        Shape s = Shape.of(dims);
        return new Input(s, rng.ints(s.size(), -4, 5).mapToDouble(i -> i / 2.0).toArray());
    }

    private static void check(String what, Call call, Input... inputs) {
        TensorData expected = call.apply(JVM, on(JVM, inputs));
        TensorData actual = call.apply(ND4J, on(ND4J, inputs));
        assertSame(ND4J, actual.backend(), what + ": result backend");
        assertEquals('c', ((Nd4jData) actual).array.ordering(), what + ": ordering");
        assertAgree(what, expected, actual);
    }

    private static List<TensorData> on(Backend backend, Input... inputs) {
        List<TensorData> out = new ArrayList<>();
        for (Input in : inputs) {
            out.add(backend.fromArray(in.shape(), in.values()));
        }
        return out;
    }

    // ---- creation -----------------------------------------------------------------

    @Test
    void fromArrayAndFullKeepDoublePrecisionAndLeaveNd4jDefaultsAlone() {
        DataType defaultType = Nd4j.dataType();
        DataType defaultFloat = Nd4j.defaultFloatingPointType();
        double[] v = {1.0 / 3, Math.PI * 1e-200, -1e300, 0.1};
        assertArrayEquals(v, ND4J.fromArray(Shape.of(2, 2), v).toArray());
        assertArrayEquals(new double[] {1.0 / 3}, ND4J.full(Shape.SCALAR, 1.0 / 3).toArray());
        assertEquals(1.0 / 3, ND4J.fromArray(Shape.SCALAR, new double[] {1.0 / 3}).item());
        assertEquals(Shape.SCALAR, ND4J.full(Shape.SCALAR, 2).shape());
        TensorData sum = ND4J.binary(BinaryKernel.ADD, ND4J.full(Shape.of(3), 1e-17), ND4J.full(Shape.SCALAR, 1.0));
        assertArrayEquals(new double[] {1.0 + 1e-17, 1.0 + 1e-17, 1.0 + 1e-17}, sum.toArray());
        assertEquals(defaultType, Nd4j.dataType());
        assertEquals(defaultFloat, Nd4j.defaultFloatingPointType());
    }

    @Test
    void fullAndEmptyShapes() {
        for (Shape s : List.of(Shape.SCALAR, Shape.of(4), Shape.of(2, 3), Shape.of(0, 3), Shape.of(2, 0, 1))) {
            check("full " + s, (b, in) -> b.full(s, -1.5));
            check("fromArray " + s, (b, in) -> in.get(0), random(s.dims()));
        }
    }

    // ---- elementwise --------------------------------------------------------------

    @ParameterizedTest
    @EnumSource(UnaryKernel.class)
    void unaryKernels(UnaryKernel kernel) {
        double[] special = {0, 1, -1, 0.3, -0.3, 0.5, 2, -2, 1e-9, -1e-9, 1e-300, 20, -20, 40, -40, 800, -800};
        List<Input> inputs = List.of(new Input(Shape.of(special.length), special), random(), random(7),
                random(3, 4), random(2, 3, 4), random(0, 4));
        double[] params = switch (kernel) {
            case ELU -> new double[] {1.0, 0.5, 2.5};
            case POW -> new double[] {2, 3, -1, 0.5, -1.5, 1.7};
            case GE_SCALAR, LE_SCALAR -> new double[] {0, 0.3, -2};
            default -> new double[] {0};
        };
        for (double p : params) {
            for (Input in : inputs) {
                check(kernel + "(" + p + ") on " + in.shape(), (b, t) -> b.unary(kernel, t.get(0), p), in);
            }
        }
    }

    @Test
    void softplusIsStableWhereNd4jsOwnOverflows() {
        TensorData y = ND4J.unary(UnaryKernel.SOFTPLUS, ND4J.fromArray(Shape.of(3), new double[] {800, 1e4, -1e4}), 0);
        assertArrayEquals(new double[] {800, 1e4, 0}, y.toArray());
    }

    private List<Input[]> broadcastPairs(boolean onGrid) {
        int[][][] shapes = {
            {{3, 4}, {3, 4}}, {{3, 4}, {}}, {{}, {3, 4}}, {{}, {}}, {{3, 1}, {1, 4}}, {{4}, {2, 3, 4}},
            {{2, 1, 4}, {3, 1}}, {{2, 3, 1}, {1, 1, 5}}, {{1}, {2, 2}}, {{5, 1, 1}, {1, 2, 3}}, {{0, 3}, {3}},
            {{1, 1}, {3}}, {{3}, {1, 1}}, {{1, 1, 1}, {}}, {{1}, {4, 1, 2}},
        };
        List<Input[]> pairs = new ArrayList<>();
        for (int[][] s : shapes) {
            pairs.add(onGrid ? new Input[] {grid(s[0]), grid(s[1])} : new Input[] {random(s[0]), random(s[1])});
        }
        return pairs;
    }

    @ParameterizedTest
    @EnumSource(BinaryKernel.class)
    void binaryKernelsBroadcast(BinaryKernel kernel) {
        for (boolean onGrid : new boolean[] {false, true}) {
            for (Input[] pair : broadcastPairs(onGrid)) {
                check(kernel + " " + pair[0].shape() + " with " + pair[1].shape() + (onGrid ? " (grid)" : ""),
                        (b, in) -> b.binary(kernel, in.get(0), in.get(1)), pair);
            }
        }
    }

    @Test
    void whereBroadcastsMaskAndOperands() {
        int[][][] shapes = {
            {{3, 4}, {3, 4}, {3, 4}}, {{3, 4}, {}, {3, 4}}, {{3, 4}, {3, 4}, {}}, {{1, 4}, {3, 1}, {4}},
            {{2, 1, 4}, {3, 1}, {}}, {{}, {2, 3}, {3}}, {{}, {}, {}}, {{0, 2}, {2}, {}},
        };
        for (int[][] s : shapes) {
            Input mask = grid(s[0]);
            Shape out = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), Shape.of(s[1])), Shape.of(s[2]));
            check("where " + Arrays.deepToString(s), (b, in) -> b.where(in.get(0), in.get(1), in.get(2), out),
                    mask, random(s[1]), random(s[2]));
        }
    }

    // ---- matrix products ----------------------------------------------------------

    /** Shapes of op(a) = n x k and op(b) = k x m with the given batch dimensions. */
    private Input operand(int[] batch, int rows, int cols, boolean transposed) {
        int[] dims = Arrays.copyOf(batch, batch.length + 2);
        dims[batch.length] = transposed ? cols : rows;
        dims[batch.length + 1] = transposed ? rows : cols;
        return random(dims);
    }

    @Test
    void matmulAllTransposesAndBatchBroadcasts() {
        int[][][] batches = {
            {{}, {}}, {{4}, {4}}, {{4}, {}}, {{}, {4}}, {{1}, {3}}, {{3}, {1}}, {{2, 1}, {3}}, {{2, 3}, {3}},
            {{2, 1}, {1, 5}}, {{}, {2, 3}},
        };
        int[][] sizes = {{2, 3, 4}, {1, 5, 1}, {3, 1, 2}, {1, 1, 1}, {5, 4, 1}};
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                for (int[][] batch : batches) {
                    for (int[] nkm : sizes) {
                        Input a = operand(batch[0], nkm[0], nkm[1], ta);
                        Input b = operand(batch[1], nkm[1], nkm[2], tb);
                        check("matmul " + a.shape() + (ta ? "^T" : "") + " @ " + b.shape() + (tb ? "^T" : ""),
                                (be, in) -> be.matmul(in.get(0), ta, in.get(1), tb), a, b);
                    }
                }
            }
        }
    }

    @Test
    void matmulWithEmptyInnerOrOuterDimensions() {
        check("k = 0", (b, in) -> b.matmul(in.get(0), false, in.get(1), false), random(2, 3, 0), random(0, 4));
        check("n = 0", (b, in) -> b.matmul(in.get(0), true, in.get(1), false), random(3, 0), random(3, 4));
        check("empty batch", (b, in) -> b.matmul(in.get(0), false, in.get(1), true), random(0, 2, 3), random(4, 3));
    }

    @Test
    void largeBatchedMatmul() {
        check("64 x [50x40] @ [40x30]", (b, in) -> b.matmul(in.get(0), false, in.get(1), false),
                random(64, 50, 40), random(64, 40, 30));
        check("64 x [50x40]^T shared", (b, in) -> b.matmul(in.get(0), true, in.get(1), false),
                random(64, 40, 50), random(40, 30));
    }

    // ---- reductions and shapes ----------------------------------------------------

    @Test
    void sumToAndMaxToOverBroadcastDimensions() {
        int[][] targets = {{3, 4}, {1, 4}, {2, 1, 4}, {2, 3, 1}, {}, {1, 1, 1}, {4}, {1}, {2, 3, 4}, {1, 3, 1}};
        Input a = random(2, 3, 4);
        for (int[] t : targets) {
            Shape target = Shape.of(t);
            check("sumTo " + target, (b, in) -> b.sumTo(in.get(0), target), a);
            check("maxTo " + target, (b, in) -> b.maxTo(in.get(0), target), a);
        }
        Input empty = random(0, 3);
        for (Shape target : List.of(Shape.of(3), Shape.of(1, 3), Shape.SCALAR)) {
            check("sumTo of empty to " + target, (b, in) -> b.sumTo(in.get(0), target), empty);
            check("maxTo of empty to " + target, (b, in) -> b.maxTo(in.get(0), target), empty);
        }
        check("sumTo scalar of scalar", (b, in) -> b.sumTo(in.get(0), Shape.SCALAR), random());
        check("maxTo [1] of [1, 1]", (b, in) -> b.maxTo(in.get(0), Shape.of(1)), random(1, 1));
    }

    @Test
    void broadcastTo() {
        int[][][] cases = {{{3}, {2, 3}}, {{}, {2, 2}}, {{2, 1}, {3, 2, 4}}, {{1}, {5}}, {{}, {}}, {{1, 3}, {0, 3}},
            {{4, 1, 2}, {4, 3, 2}}};
        for (int[][] c : cases) {
            Shape target = Shape.of(c[1]);
            check("broadcastTo " + Arrays.toString(c[0]) + " -> " + target, (b, in) -> b.broadcastTo(in.get(0), target),
                    random(c[0]));
        }
    }

    @Test
    void reshape() {
        int[][][] cases = {{{2, 3, 4}, {6, 4}}, {{2, 3, 4}, {24}}, {{}, {1, 1}}, {{1, 1}, {}}, {{6}, {3, 2}},
            {{0, 3}, {3, 0}}, {{1}, {}}};
        for (int[][] c : cases) {
            Shape target = Shape.of(c[1]);
            check("reshape " + Arrays.toString(c[0]) + " -> " + target, (b, in) -> b.reshape(in.get(0), target),
                    random(c[0]));
        }
        check("reshape of a transpose", (b, in) -> b.reshape(b.transpose(in.get(0)), Shape.of(12)), random(3, 4));
    }

    @Test
    void transposeSwapsTheLastTwoDimensions() {
        for (int[] dims : new int[][] {{3, 4}, {2, 3, 4}, {2, 1, 3, 5}, {1, 1}, {4, 1}, {0, 2}}) {
            check("transpose " + Arrays.toString(dims), (b, in) -> b.transpose(in.get(0)), random(dims));
        }
    }

    @Test
    void concatAlongEachAxis() {
        check("rank 1", (b, in) -> b.concat(in, 0), random(3), random(1), random(4));
        check("rank 2 axis 0", (b, in) -> b.concat(in, 0), random(2, 3), random(1, 3));
        check("rank 2 axis -1", (b, in) -> b.concat(in, -1), random(2, 3), random(2, 1), random(2, 2));
        check("rank 3 axis 1", (b, in) -> b.concat(in, 1), random(2, 1, 2), random(2, 3, 2), random(2, 1, 2));
        check("rank 3 axis 2", (b, in) -> b.concat(in, 2), random(2, 3, 1), random(2, 3, 4));
        check("with an empty part", (b, in) -> b.concat(in, 1), random(2, 0), random(2, 3));
        check("all empty", (b, in) -> b.concat(in, 0), random(0, 3), random(0, 3));
        check("one part", (b, in) -> b.concat(in, 0), random(2, 3));
    }

    @Test
    void sliceAlongEachAxis() {
        Input a = random(3, 4, 5);
        int[][] cases = {{0, 1, 3}, {1, 0, 2}, {2, 2, 5}, {-1, 0, 1}, {1, 1, 1}, {0, 0, 3}, {-2, 3, 4}};
        for (int[] c : cases) {
            check("slice axis " + c[0] + " [" + c[1] + ", " + c[2] + ")", (b, in) -> b.slice(in.get(0), c[0], c[1], c[2]), a);
        }
        check("slice rank 1", (b, in) -> b.slice(in.get(0), 0, 2, 5), random(6));
    }

    @Test
    void chainsOfShapeOpsOnViews() {
        Call chain = (b, in) -> {
            TensorData t = b.reshape(in.get(0), Shape.of(4, 3, 2));
            t = b.slice(b.transpose(t), 1, 1, 2);
            t = b.concat(List.of(t, b.reshape(b.slice(in.get(0), 1, 0, 3), Shape.of(4, 1, 3))), 1);
            return b.binary(BinaryKernel.MUL, b.matmul(t, false, t, true), b.sumTo(t, Shape.of(4, 1, 1)));
        };
        for (int i = 0; i < 3; i++) {
            check("chain " + i, chain, random(4, 6));
        }
    }
}
