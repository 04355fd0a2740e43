package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Autograd.grad's contract beyond one scalar: seeded outputs, several outputs, intermediates, unreached inputs. */
class VectorJacobianProductTest {
    private static final double[] X = {0.3, -0.8, 1.1, 0.05, -1.4, 0.6};

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void seededOutputGivesVectorJacobianProduct(Backend backend) {
        Tensor x = Tensor.variable(backend, X, 2, 3);
        double[] v = {1, -2, 3, 0.5, 4, -1};
        Tensor g = Autograd.grad(List.of(x.tanh()), List.of(Tensor.constant(backend, v, 2, 3)), List.of(x), false).get(0);
        double[] expected = new double[X.length];
        for (int i = 0; i < X.length; i++) {
            expected[i] = v[i] * (1 - Math.tanh(X[i]) * Math.tanh(X[i]));
        }
        assertArrayEquals(expected, g.toArray(), 1e-14);
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void gradientsOfSeveralOutputsAdd(Backend backend) {
        Tensor x = Tensor.variable(backend, X, 2, 3);
        Tensor y = x.exp();
        Tensor z = y.mul(2.0);
        Tensor ones = Tensor.full(backend, 1.0, 2, 3);
        Tensor g = Autograd.grad(List.of(y, z), List.of(ones, ones), List.of(x), false).get(0);
        assertArrayEquals(Arrays.stream(X).map(t -> 3 * Math.exp(t)).toArray(), g.toArray(), 1e-12);
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void intermediateAndLeafTogetherAndAnUnreachedInputIsAnErrorUnlessAllowed(Backend backend) {
        Tensor x = Tensor.variable(backend, new double[] {2.0}, 1);
        Tensor unused = Tensor.variable(backend, new double[] {1, 2, 3, 4}, 2, 2);
        Tensor constant = Tensor.constant(backend.fromArray(Shape.of(1), new double[] {5}));
        Tensor y = x.mul(x);
        List<Tensor> g = Autograd.grad(y.mul(y).sum(), List.of(y, x, unused), false, true);
        assertEquals(8.0, g.get(0).item(), 1e-12);   // d(y^2)/dy = 2y
        assertEquals(32.0, g.get(1).item(), 1e-12);  // d(x^4)/dx = 4x^3
        assertNull(g.get(2), "allowUnused: nothing reached it");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(y.mul(y).sum(), List.of(y, x, unused), false));
        assertEquals("grad: the outputs do not use input 2 of 3 (shape [2, 2]); pass allowUnused if it is meant not to matter",
                e.getMessage());
        IllegalArgumentException flag = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(y.mul(constant).sum(), List.of(x, constant), false, true));
        assertEquals("grad: input 1 of 2 (shape [1]) does not require grad (was it created differentiable?)",
                flag.getMessage(), "even with allowUnused");
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void unseededNonScalarOutputAndMisshapenSeedAreShapeErrors(Backend backend) {
        Tensor x = Tensor.variable(backend, X, 2, 3);
        ShapeException unseeded = assertThrows(ShapeException.class, () -> Autograd.grad(x.exp(), List.of(x), false));
        assertTrue(unseeded.getMessage().startsWith("grad:") && unseeded.getMessage().contains("[2, 3]"),
                unseeded.getMessage());
        ShapeException misshapen = assertThrows(ShapeException.class, () -> Autograd.grad(List.of(x.exp()),
                List.of(Tensor.full(backend, 1.0, 3, 2)), List.of(x), false));
        assertTrue(misshapen.getMessage().startsWith("grad:") && misshapen.getMessage().contains("[3, 2]")
                && misshapen.getMessage().contains("[2, 3]"), misshapen.getMessage());
    }
}
