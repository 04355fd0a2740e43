package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Values of convolution, max-pooling and dropout against direct definitions. */
class ImageOpsTest {

    /** conv2d equals the textbook sum out[o, i, j] = sum_{c, a, b} x[c, i + a, j + b] k[o, c, a, b]. */
    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void convolutionIsTheCrossCorrelationSum(Backend backend) {
        int t = 2, h = 5, w = 6, cin = 2, kh = 3, kw = 2, cout = 3;
        SplittableRandom rng = new SplittableRandom(1);
        double[] x = GradCheck.uniform(rng, t * h * w * cin, -1, 1);
        double[] k = GradCheck.uniform(rng, t * kh * kw * cin * cout, -1, 1);
        double[] out = Convolution.conv2d(Tensor.constant(backend, x, t, 1, cin, h, w),
                Tensor.constant(backend, k, t, cout, cin, kh, kw)).toArray();
        int oh = h - kh + 1, ow = w - kw + 1;
        assertEquals(t * oh * ow * cout, out.length);
        for (int task = 0; task < t; task++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    for (int o = 0; o < cout; o++) {
                        double sum = 0;
                        for (int a = 0; a < kh; a++) {
                            for (int b = 0; b < kw; b++) {
                                for (int c = 0; c < cin; c++) {
                                    sum += x[((task * cin + c) * h + i + a) * w + j + b]
                                            * k[(((task * cout + o) * cin + c) * kh + a) * kw + b];
                                }
                            }
                        }
                        assertEquals(sum, out[((task * cout + o) * oh + i) * ow + j], 1e-12);
                    }
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void maxPoolingTakesEachWindowsMaximumAndRoutesTheGradientToTheFirstOfTies(Backend backend) {
        // one image 4x4, one channel: windows {1,5,2,6}, {3,7,4,8}, {9,9,0,0} (tie), {-1,-3,-2,-4}
        double[] x = {
            1, 5, 3, 7,
            2, 6, 4, 8,
            9, 9, -1, -3,
            0, 0, -2, -4};
        Tensor xv = Tensor.variable(backend, x, 1, 1, 4, 4);
        Tensor pooled = MaxPooling.maxPool2d(xv, 2);
        assertArrayEquals(new double[] {6, 8, 9, -1}, pooled.toArray(), 0.0);
        double[] g = Autograd.grad(pooled.mul(Tensor.constant(backend, new double[] {1, 2, 3, 4}, 1, 1, 2, 2)).sum(),
                xv, false).toArray();
        assertArrayEquals(new double[] {
            0, 0, 0, 0,
            0, 1, 0, 2,
            3, 0, 4, 0,
            0, 0, 0, 0}, g, 0.0);
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void dropoutMaskDependsOnlyOnEachTasksSeed(Backend backend) {
        int n = 2000;
        double[] ones = new double[3 * n];
        java.util.Arrays.fill(ones, 1.0);
        Tensor x = Tensor.constant(backend, ones, 3, n);
        double[] a = Dropout.apply(x, 0.25, new long[] {1, 2, 3}).toArray();
        double[] b = Dropout.apply(x.slice(0, 1, 2), 0.25, new long[] {2}).toArray();
        assertArrayEquals(java.util.Arrays.copyOfRange(a, n, 2 * n), b, 0.0);
        assertNotEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, 0, n)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(a, n, 2 * n)));
        int dropped = 0;
        for (double v : a) {
            assertTrue(v == 0.0 || Math.abs(v - 1 / 0.75) < 1e-15, "kept values are scaled by 1/(1-p): " + v);
            dropped += v == 0.0 ? 1 : 0;
        }
        double rate = dropped / (3.0 * n);
        assertTrue(Math.abs(rate - 0.25) < 0.03, "dropped fraction " + rate);
        assertArrayEquals(ones, Dropout.apply(x, 0.0, new long[] {1, 2, 3}).toArray(), 0.0);
    }

    @Test
    void shapeErrorsNameTheShapes() {
        Backend backend = io.ml3spark.tensor.backend.JvmBackend.INSTANCE;
        Tensor images = Tensor.zeros(backend, 2, 1, 3, 6, 6);
        ShapeException channels = assertThrows(ShapeException.class,
                () -> Convolution.conv2d(images, Tensor.zeros(backend, 2, 4, 2, 3, 3)));
        assertTrue(channels.getMessage().contains("[2, 4, 2, 3, 3]"), channels.getMessage());
        assertThrows(ShapeException.class, () -> Convolution.conv2d(images, Tensor.zeros(backend, 3, 4, 3, 3, 3)));
        assertThrows(ShapeException.class, () -> Convolution.patches(images, 7, 1));
        ShapeException pool = assertThrows(ShapeException.class, () -> MaxPooling.maxPool2d(images, 4));
        assertTrue(pool.getMessage().contains("pool size 4"), pool.getMessage());
        assertThrows(ShapeException.class, () -> Dropout.apply(images, 0.5, new long[] {1}));
        assertThrows(IllegalArgumentException.class, () -> Dropout.apply(images, 1.0, new long[] {1, 2}));
    }
}
