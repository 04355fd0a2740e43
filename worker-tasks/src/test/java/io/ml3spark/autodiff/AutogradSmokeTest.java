package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AutogradSmokeTest {
    private final JvmBackend jvm = JvmBackend.INSTANCE;

    @Test
    void tanhOfMatmulFirstAndSecondOrderMatchFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(1);
        List<Shape> shapes = List.of(Shape.of(2, 3, 4), Shape.of(4, 5));
        List<double[]> values = List.of(GradCheck.uniform(rng, 24, -1, 1), GradCheck.uniform(rng, 20, -1, 1));
        GradCheck.Fn f = xs -> xs.get(0).matmul(xs.get(1)).tanh().mul(xs.get(0).sum()).sum();
        GradCheck.firstOrder(jvm, f, values, shapes);
        GradCheck.secondOrder(jvm, f, values, shapes, 7);
    }

    @Test
    void scalarDerivativesByHand() {
        Tensor x = Tensor.variable(jvm, new double[] {3.0});
        Tensor y = x.pow(3);
        Tensor dy = Autograd.grad(y.sum(), x, true);
        Tensor d2y = Autograd.grad(dy.sum(), x, true);
        Tensor d3y = Autograd.grad(d2y.sum(), x, false);
        assertEquals(27.0, dy.item(), 1e-12);
        assertEquals(18.0, d2y.item(), 1e-12);
        assertEquals(6.0, d3y.item(), 1e-12);
    }
}
