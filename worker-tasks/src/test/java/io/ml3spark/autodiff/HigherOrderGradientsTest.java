package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients of gradients: third derivatives against closed forms, and whether
 * {@code createGraph} decides that a returned gradient is itself differentiable.
 */
class HigherOrderGradientsTest {
    private static final double[] POINTS = {-1.3, -0.4, 0.25, 0.9, 1.7};

    /**
     * The first three derivatives of an elementwise f at {@link #POINTS}, each taken from the
     * previous one with {@code createGraph}, against the closed forms d1, d2, d3.
     */
    private static void checkThreeDerivatives(Backend backend, UnaryOperator<Tensor> f, DoubleUnaryOperator d1,
                                              DoubleUnaryOperator d2, DoubleUnaryOperator d3) {
        Tensor x = Tensor.variable(backend, POINTS, POINTS.length);
        Tensor y = f.apply(x);
        DoubleUnaryOperator[] expected = {d1, d2, d3};
        for (DoubleUnaryOperator d : expected) {
            y = Autograd.grad(y.sum(), x, true);
            double[] want = new double[POINTS.length];
            for (int i = 0; i < want.length; i++) {
                want[i] = d.applyAsDouble(POINTS[i]);
            }
            assertArrayEquals(want, y.toArray(), 1e-12);
        }
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void tanhThirdDerivative(Backend backend) {
        checkThreeDerivatives(backend, Tensor::tanh,
                x -> 1 - sq(Math.tanh(x)),
                x -> -2 * Math.tanh(x) * (1 - sq(Math.tanh(x))),
                x -> (1 - sq(Math.tanh(x))) * (6 * sq(Math.tanh(x)) - 2));
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void powOfSinThirdDerivative(Backend backend) {
        // (sin x)^3: 3 s^2 c, 6 s c^2 - 3 s^3, 6 c^3 - 21 s^2 c
        checkThreeDerivatives(backend, x -> x.sin().pow(3),
                x -> 3 * sq(Math.sin(x)) * Math.cos(x),
                x -> 6 * Math.sin(x) * sq(Math.cos(x)) - 3 * Math.pow(Math.sin(x), 3),
                x -> 6 * Math.pow(Math.cos(x), 3) - 21 * sq(Math.sin(x)) * Math.cos(x));
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void reciprocalOfSoftplusThirdDerivative(Backend backend) {
        // u = softplus(x), u' = sigmoid(x) = s, s' = s(1 - s), s'' = s(1 - s)(1 - 2s); f = 1 / u.
        // f' = -s / u^2, f'' = -s' / u^2 + 2 s^2 / u^3, f''' = -s'' / u^2 + 6 s s' / u^3 - 6 s^3 / u^4.
        checkThreeDerivatives(backend, x -> x.softplus().pow(-1),
                x -> -sig(x) / sq(sp(x)),
                x -> -sig(x) * (1 - sig(x)) / sq(sp(x)) + 2 * sq(sig(x)) / Math.pow(sp(x), 3),
                x -> -sig(x) * (1 - sig(x)) * (1 - 2 * sig(x)) / sq(sp(x))
                        + 6 * sig(x) * sig(x) * (1 - sig(x)) / Math.pow(sp(x), 3)
                        - 6 * Math.pow(sig(x), 3) / Math.pow(sp(x), 4));
    }

    /** d^3/(dx dy dy) of x^2 y^3 = 12 x y: a mixed third derivative through two variables. */
    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void mixedThirdDerivative(Backend backend) {
        Tensor x = Tensor.variable(backend, new double[] {0.7, -1.2}, 2);
        Tensor y = Tensor.variable(backend, new double[] {1.5, 0.4}, 2);
        Tensor f = x.square().mul(y.pow(3)).sum();
        Tensor dx = Autograd.grad(f, x, true);
        Tensor dxy = Autograd.grad(dx.sum(), y, true);
        Tensor dxyy = Autograd.grad(dxy.sum(), y, false);
        assertArrayEquals(new double[] {2 * 0.7 * 3 * 1.5 * 1.5, 2 * -1.2 * 3 * 0.4 * 0.4}, dxy.toArray(), 1e-12);
        assertArrayEquals(new double[] {12 * 0.7 * 1.5, 12 * -1.2 * 0.4}, dxyy.toArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void createGraphDecidesWhetherGradientsAreDifferentiable(Backend backend) {
        Tensor x = Tensor.variable(backend, new double[] {0.3, -0.8, 1.1}, 3);
        Tensor w = Tensor.variable(backend, new double[] {0.5, 2.0, -1.0}, 3);
        Tensor f = x.tanh().mul(w).sum();

        List<Tensor> plain = Autograd.grad(f, List.of(x, w), false);
        for (Tensor g : plain) {
            assertFalse(g.requiresGrad(), "createGraph=false returned a gradient that requires grad");
            assertNull(g.node(), "createGraph=false recorded a graph");
        }
        assertTrue(GradMode.isEnabled(), "recording must be back on after a plain gradient");

        List<Tensor> recorded = Autograd.grad(f, List.of(x, w), true);
        for (Tensor g : recorded) {
            assertTrue(g.requiresGrad(), "createGraph=true returned a gradient that does not require grad");
            assertNotNull(g.node(), "createGraph=true recorded no graph");
        }
        assertArrayEquals(plain.get(0).toArray(), recorded.get(0).toArray(), 0.0);
        assertArrayEquals(plain.get(1).toArray(), recorded.get(1).toArray(), 0.0);

        // d/dw sum(df/dx) = 1 - tanh(x)^2 through the recorded graph; nothing flows through the plain one.
        Tensor mixed = Autograd.grad(recorded.get(0).sum(), w, false);
        assertArrayEquals(new double[] {1 - sq(Math.tanh(0.3)), 1 - sq(Math.tanh(-0.8)), 1 - sq(Math.tanh(1.1))},
                mixed.toArray(), 1e-12);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(plain.get(0).sum(), w, false));
        assertTrue(none.getMessage().startsWith("grad: output 0 of 1 (shape []) does not require grad"), none.getMessage());
    }

    private static double sq(double v) {
        return v * v;
    }

    private static double sig(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static double sp(double x) {
        return Math.log1p(Math.exp(x));
    }
}
