package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.ml3spark.autodiff.DerivativeCase.ANY;
import static io.ml3spark.autodiff.DerivativeCase.AWAY_FROM_ZERO;
import static io.ml3spark.autodiff.DerivativeCase.POSITIVE;
import static io.ml3spark.autodiff.DerivativeCase.in;
import static io.ml3spark.autodiff.DerivativeCase.of;
import static io.ml3spark.autodiff.DerivativeCase.readout;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * First and second derivatives of every op of {@link Tensor} and {@link Functional} match
 * central finite differences in float64, on every backend. Each case applies one op (with
 * the broadcasting or flags named in the case) and reduces its output with
 * {@link DerivativeCase#readout}.
 */
class OpDerivativesTest extends FiniteDifferenceSuite {

    static Stream<Arguments> cases() {
        List<DerivativeCase> cases = new ArrayList<>();
        binaryCases(cases);
        unaryCases(cases);
        shapeCases(cases);
        matmulCases(cases);
        functionalCases(cases);
        return DerivativeCase.onEveryBackend(cases);
    }

    /** add, sub, mul, div on equal shapes, against a scalar, a row and across a task batch, both ways round. */
    private static void binaryCases(List<DerivativeCase> cases) {
        Map<String, BinaryOperator<Tensor>> ops = new LinkedHashMap<>();
        ops.put("add", Tensor::add);
        ops.put("sub", Tensor::sub);
        ops.put("mul", Tensor::mul);
        ops.put("div", Tensor::div);
        int[][][] pairs = {
            {{2, 3}, {2, 3}},
            {{2, 3}, {}},
            {{}, {2, 3}},
            {{2, 3}, {1, 3}},
            {{2, 3}, {3}},
            {{2, 2, 3}, {2, 3}},
            {{2, 2, 3}, {2, 1, 3}},
            {{2, 3}, {2, 2, 3}},
        };
        ops.forEach((name, op) -> {
            for (int[][] p : pairs) {
                cases.add(of(name + " " + Shape.of(p[0]) + " " + Shape.of(p[1]),
                        xs -> readout(op.apply(xs.get(0), xs.get(1))),
                        in(ANY, p[0]), in(name.equals("div") ? POSITIVE : ANY, p[1])));
            }
        });
        cases.add(of("mul of a tensor by itself", xs -> readout(xs.get(0).mul(xs.get(0))), in(ANY, 2, 3)));
        cases.add(of("div of a tensor by itself plus 3", xs -> readout(xs.get(0).div(xs.get(0).add(3.0))), in(ANY, 2, 3)));
        cases.add(of("scalar constants", xs -> readout(xs.get(0).add(2.0).sub(0.5).mul(3.0).div(4.0)), in(ANY, 2, 3)));
    }

    private static void unaryCases(List<DerivativeCase> cases) {
        unary(cases, "neg", ANY, Tensor::neg);
        unary(cases, "exp", ANY, Tensor::exp);
        unary(cases, "log", POSITIVE, Tensor::log);
        unary(cases, "sqrt", POSITIVE, Tensor::sqrt);
        unary(cases, "pow 2", ANY, x -> x.pow(2));
        unary(cases, "pow 3", ANY, x -> x.pow(3));
        unary(cases, "pow 0.5", POSITIVE, x -> x.pow(0.5));
        unary(cases, "pow -1", POSITIVE, x -> x.pow(-1));
        unary(cases, "square", ANY, Tensor::square);
        unary(cases, "abs", AWAY_FROM_ZERO, Tensor::abs);
        unary(cases, "sin", ANY, Tensor::sin);
        unary(cases, "cos", ANY, Tensor::cos);
        unary(cases, "tanh", ANY, Tensor::tanh);
        unary(cases, "sigmoid", ANY, Tensor::sigmoid);
        unary(cases, "relu", AWAY_FROM_ZERO, Tensor::relu);
        unary(cases, "elu alpha 1", AWAY_FROM_ZERO, Tensor::elu);
        unary(cases, "elu alpha 0.5", AWAY_FROM_ZERO, x -> x.elu(0.5));
        unary(cases, "softplus", ANY, Tensor::softplus);
        DerivativeCase.Domain aroundBounds = new DerivativeCase.Domain(-1.5, 1.5, -0.6, 0.7);
        unary(cases, "clamp", aroundBounds, x -> x.clamp(-0.6, 0.7));
        // Straight-through passes the gradient unchanged where it clamps, which is not the derivative
        // there: finite differences check it inside the bounds, clampGradients outside.
        unary(cases, "clampStraightThrough inside", new DerivativeCase.Domain(-0.55, 0.65),
                x -> x.clampStraightThrough(-0.6, 0.7));

        double[] pattern = {1, 0, 0, 1, 1, 0};
        cases.add(of("where [2, 3] [2, 3] [2, 3]",
                xs -> readout(Tensor.where(mask(xs.get(0), pattern, 2, 3), xs.get(0), xs.get(1))),
                in(ANY, 2, 3), in(ANY, 2, 3)));
        cases.add(of("where [2, 3] [2, 3] [3]",
                xs -> readout(Tensor.where(mask(xs.get(0), pattern, 2, 3), xs.get(0), xs.get(1))),
                in(ANY, 2, 3), in(ANY, 3)));
        cases.add(of("where [3] [] [2, 3]",
                xs -> readout(Tensor.where(mask(xs.get(0), new double[] {0, 1, 0}, 3), xs.get(0), xs.get(1))),
                in(ANY), in(ANY, 2, 3)));
    }

    /** clamp's gradient is zero where it clamps and the identity inside; the straight-through variant's is the identity. */
    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void clampGradients(Backend backend) {
        double[] x = {-2.0, -0.5, 0.0, 0.3, 0.69, 1.5};
        double[] w = {1, 2, 3, 4, 5, 6};
        Tensor xv = Tensor.variable(backend, x, 2, 3);
        Tensor weights = Tensor.constant(backend, w, 2, 3);
        Tensor clamped = xv.clamp(-0.6, 0.7);
        Tensor straight = xv.clampStraightThrough(-0.6, 0.7);
        double[] expectedValues = {-0.6, -0.5, 0.0, 0.3, 0.69, 0.7};
        assertArrayEquals(expectedValues, clamped.toArray(), 0.0);
        assertArrayEquals(expectedValues, straight.toArray(), 0.0);
        assertArrayEquals(new double[] {0, 2, 3, 4, 5, 0},
                Autograd.grad(clamped.mul(weights).sum(), xv, false).toArray(), 0.0);
        assertArrayEquals(w, Autograd.grad(straight.mul(weights).sum(), xv, false).toArray(), 0.0);
    }

    /**
     * x^0 is the constant 1, recorded as a constant: no gradient flows to x, at 0 either
     * (0 * 0^-1 would be NaN), and asking for one is an error naming the output.
     */
    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void powZeroIsAConstantEvenAtZero(Backend backend) {
        Tensor x = Tensor.variable(backend, new double[] {0.0, -1.5, 2.0}, 3);
        Tensor y = x.pow(0);
        assertArrayEquals(new double[] {1, 1, 1}, y.toArray(), 0.0);
        assertFalse(y.requiresGrad());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(y.sum(), List.of(x), false, true));
        assertTrue(e.getMessage().startsWith("grad: output 0 of 1 (shape []) does not require grad"), e.getMessage());
    }

    private static void unary(List<DerivativeCase> cases, String name, DerivativeCase.Domain domain,
                              UnaryOperator<Tensor> op) {
        cases.add(of(name, xs -> readout(op.apply(xs.get(0))), in(domain, 2, 3)));
    }

    private static Tensor mask(Tensor like, double[] values, int... dims) {
        return Tensor.constant(like.backend(), values, dims);
    }

    private static void shapeCases(List<DerivativeCase> cases) {
        int[] x = {2, 3, 2};
        cases.add(of("sum", xs -> readout(xs.get(0).sum()), in(ANY, x)));
        for (int[] axes : new int[][] {{0}, {-1}, {0, 2}}) {
            for (boolean keep : new boolean[] {true, false}) {
                String suffix = " axes " + Arrays.toString(axes) + (keep ? " keepDims" : "");
                cases.add(of("sum" + suffix, xs -> readout(xs.get(0).sum(keep, axes)), in(ANY, x)));
                cases.add(of("mean" + suffix, xs -> readout(xs.get(0).mean(keep, axes)), in(ANY, x)));
            }
        }
        cases.add(of("mean", xs -> readout(xs.get(0).mean()), in(ANY, x)));
        for (int[] target : new int[][] {{3, 1}, {2, 1, 2}, {2}, {}}) {
            cases.add(of("sumTo " + Shape.of(target), xs -> readout(xs.get(0).sumTo(Shape.of(target))), in(ANY, x)));
        }
        int[][][] broadcasts = {{{3, 1}, {2, 3, 4}}, {{1, 3}, {2, 3}}, {{}, {2, 2}}};
        for (int[][] b : broadcasts) {
            cases.add(of("broadcastTo " + Shape.of(b[0]) + " -> " + Shape.of(b[1]),
                    xs -> readout(xs.get(0).broadcastTo(Shape.of(b[1]))), in(ANY, b[0])));
        }
        cases.add(of("reshape [2, 3, 2] -> [3, 4]", xs -> readout(xs.get(0).reshape(3, 4)), in(ANY, x)));
        cases.add(of("reshape [2, 3, 2] -> [-1, 2]", xs -> readout(xs.get(0).reshape(-1, 2)), in(ANY, x)));
        cases.add(of("reshape [2, 3] -> [6]", xs -> readout(xs.get(0).reshape(6)), in(ANY, 2, 3)));
        cases.add(of("transpose [2, 3]", xs -> readout(xs.get(0).transpose()), in(ANY, 2, 3)));
        cases.add(of("transpose [2, 3, 2]", xs -> readout(xs.get(0).transpose()), in(ANY, x)));

        cases.add(of("concat axis 0", xs -> readout(Tensor.concat(xs, 0)), in(ANY, 1, 3), in(ANY, 2, 3)));
        cases.add(of("concat axis 1 of three", xs -> readout(Tensor.concat(xs, 1)),
                in(ANY, 2, 1), in(ANY, 2, 3), in(ANY, 2, 2)));
        cases.add(of("concat axis -1 rank 3", xs -> readout(Tensor.concat(xs, -1)), in(ANY, 2, 2, 1), in(ANY, 2, 2, 2)));
        int[][] slices = {{0, 1, 3}, {1, 0, 2}, {-1, 2, 4}, {1, 1, 2}};
        for (int[] s : slices) {
            cases.add(of("slice axis " + s[0] + " [" + s[1] + ", " + s[2] + ")",
                    xs -> readout(xs.get(0).slice(s[0], s[1], s[2])), in(ANY, 3, 4)));
        }
        cases.add(of("slice rank 3 middle axis", xs -> readout(xs.get(0).slice(1, 1, 2)), in(ANY, x)));
        for (int axis : new int[] {0, 1, -1}) {
            cases.add(of("stack axis " + axis, xs -> readout(Tensor.stack(xs, axis)),
                    in(ANY, 2, 3), in(ANY, 2, 3), in(ANY, 2, 3)));
        }
    }

    /**
     * Every transpose-flag combination, for plain matrices and each kind of batch
     * broadcasting; also m = 1, which takes the matrix-vector path of the JVM kernel.
     */
    private static void matmulCases(List<DerivativeCase> cases) {
        int[][][] batches = {{{}, {}}, {{2}, {}}, {{}, {2}}, {{2}, {2}}, {{1}, {2}}, {{2, 1}, {3}}};
        for (int[][] batch : batches) {
            for (int flags = 0; flags < 4; flags++) {
                matmul(cases, batch[0], batch[1], flags >= 2, flags % 2 == 1, 2);
            }
        }
        for (int flags = 0; flags < 4; flags++) {
            matmul(cases, new int[] {2}, new int[] {}, flags >= 2, flags % 2 == 1, 1);
        }
        cases.add(of("matmul x^T @ x, one tensor on both sides", xs -> readout(xs.get(0).matmul(true, xs.get(0), false)),
                in(ANY, 3, 2)));
    }

    private static void matmul(List<DerivativeCase> cases, int[] batchA, int[] batchB, boolean ta, boolean tb, int m) {
        int n = 2;
        int k = 3;
        int[] a = matrix(batchA, ta ? k : n, ta ? n : k);
        int[] b = matrix(batchB, tb ? m : k, tb ? k : m);
        String name = "matmul " + Shape.of(a) + (ta ? "^T" : "") + " @ " + Shape.of(b) + (tb ? "^T" : "");
        cases.add(of(name, xs -> readout(xs.get(0).matmul(ta, xs.get(1), tb)), in(ANY, a), in(ANY, b)));
    }

    private static int[] matrix(int[] batch, int rows, int cols) {
        return IntStream.concat(Arrays.stream(batch), IntStream.of(rows, cols)).toArray();
    }

    private static void functionalCases(List<DerivativeCase> cases) {
        int[] x = {2, 4};
        cases.add(of("logSumExp axis -1", xs -> readout(Functional.logSumExp(xs.get(0), -1, false)), in(ANY, x)));
        cases.add(of("logSumExp axis 0 keepDims", xs -> readout(Functional.logSumExp(xs.get(0), 0, true)), in(ANY, x)));
        cases.add(of("logSumExp rank 3 axis 1", xs -> readout(Functional.logSumExp(xs.get(0), 1, false)),
                in(ANY, 2, 3, 2)));
        cases.add(of("logSoftmax axis -1", xs -> readout(Functional.logSoftmax(xs.get(0), -1)), in(ANY, x)));
        cases.add(of("logSoftmax axis 0", xs -> readout(Functional.logSoftmax(xs.get(0), 0)), in(ANY, x)));
        cases.add(of("softmax axis -1", xs -> readout(Functional.softmax(xs.get(0), -1)), in(ANY, x)));
        cases.add(of("norm", xs -> readout(Functional.norm(xs.get(0))), in(ANY, x)));
        cases.add(of("norm axis 1", xs -> readout(Functional.norm(xs.get(0), 1, false)), in(ANY, x)));
        cases.add(of("norm axis 0 keepDims", xs -> readout(Functional.norm(xs.get(0), 0, true)), in(ANY, x)));
    }
}
