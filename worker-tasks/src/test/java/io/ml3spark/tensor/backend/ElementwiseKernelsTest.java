package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The JVM backend's elementwise fast paths against the scalar reference semantics of the kernels. */
class ElementwiseKernelsTest {
    private static final double[] SPECIAL = {0.0, -0.0, 1.0, -1.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -Double.MIN_VALUE};

    @Test
    void reluStepAndReluAdjointMatchTheScalarKernelsOnEveryLength() {
        SplittableRandom rng = new SplittableRandom(5);
        for (ReluLoops loops : List.of(ReluLoops.PLAIN, ReluLoops.INSTANCE)) {
            for (int len = 0; len < 23; len++) {
                double[] x = new double[len];
                for (int i = 0; i < len; i++) {
                    x[i] = i < SPECIAL.length ? SPECIAL[(i + len) % SPECIAL.length] : rng.nextDouble(-1, 1);
                }
                double[] g = new double[len];
                for (int i = 0; i < len; i++) {
                    g[i] = rng.nextDouble(-2, 2);
                }
                double[] relu = new double[len];
                double[] step = new double[len];
                double[] adjoint = new double[len];
                loops.relu(x, relu);
                loops.step(x, step);
                loops.wherePositive(g, x, adjoint);
                for (int i = 0; i < len; i++) {
                    String what = loops.getClass().getSimpleName() + " at " + x[i];
                    assertEquals(UnaryKernel.RELU.apply(x[i], 0), relu[i], what);
                    assertEquals(UnaryKernel.STEP.apply(x[i], 0), step[i], what);
                    assertEquals(BinaryKernel.WHERE_POSITIVE.apply(g[i], x[i]), adjoint[i], what);
                }
            }
        }
    }

    @Test
    void binaryKernelsBroadcastLikeTheScalarReference() {
        SplittableRandom rng = new SplittableRandom(9);
        List<Shape[]> cases = List.of(
            new Shape[] {Shape.of(3, 4, 5), Shape.of(3, 4, 5)},
            new Shape[] {Shape.of(3, 4, 5), Shape.SCALAR},
            new Shape[] {Shape.SCALAR, Shape.of(3, 4, 5)},
            new Shape[] {Shape.of(3, 4, 5), Shape.of(3, 1, 5)},
            new Shape[] {Shape.of(1, 4, 5), Shape.of(3, 4, 1)},
            new Shape[] {Shape.of(4, 1), Shape.of(3, 1, 6)},
            new Shape[] {Shape.of(1), Shape.of(2, 7)});
        JvmBackend jvm = JvmBackend.INSTANCE;
        for (BinaryKernel kernel : BinaryKernel.values()) {
            for (Shape[] s : cases) {
                double[] x = values(rng, s[0].size());
                double[] y = values(rng, s[1].size());
                TensorData z = jvm.binary(kernel, jvm.fromArray(s[0], x), jvm.fromArray(s[1], y));
                Shape out = Shape.broadcast("test", s[0], s[1]);
                assertEquals(out, z.shape());
                double[] actual = z.toArray();
                int[] sa = s[0].broadcastStrides(out);
                int[] sb = s[1].broadcastStrides(out);
                int[] idx = new int[out.rank()];
                for (int t = 0; t < out.size(); t++) {
                    int ia = 0;
                    int ib = 0;
                    for (int d = 0; d < idx.length; d++) {
                        ia += idx[d] * sa[d];
                        ib += idx[d] * sb[d];
                    }
                    assertEquals(kernel.apply(x[ia], y[ib]), actual[t], kernel + " " + s[0] + " " + s[1] + " at " + t);
                    for (int d = idx.length - 1; d >= 0 && ++idx[d] == out.dim(d); d--) {
                        idx[d] = 0;
                    }
                }
            }
        }
    }

    private static double[] values(SplittableRandom rng, int size) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextInt(10) == 0 ? SPECIAL[rng.nextInt(SPECIAL.length)] : rng.nextDouble(-3, 3);
        }
        return v;
    }
}
