package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.fail;

/** Every matrix-product path against a naive triple loop on random inputs. */
class GemmTest {
    /** Sizes around the tile edges (4 rows, 4 or 12 columns), the benchmark's, and a k past one block. */
    private static final int[][] SIZES = {
        {1, 1, 1}, {1, 7, 1}, {3, 5, 2}, {2, 9, 5}, {5, 3, 2}, {4, 4, 4}, {5, 1, 6}, {7, 13, 11},
        {6, 2, 12}, {9, 6, 13}, {13, 17, 25}, {100, 100, 10}, {100, 10, 100}, {100, 1, 100},
        {1, 100, 100}, {50, 300, 50}, {2, 600, 50}, {50, 700, 1}, {37, 520, 9}, {20, 1100, 13}, {200, 50, 2}, {8, 0, 5}};

    static Stream<GemmKernel> kernels() {
        return Gemm.KERNEL == Gemm.PLAIN ? Stream.of(Gemm.PLAIN) : Stream.of(Gemm.PLAIN, Gemm.KERNEL);
    }

    @ParameterizedTest
    @MethodSource("kernels")
    void everyTransposeAndSizeMatchesTheNaiveProduct(GemmKernel kernel) {
        SplittableRandom rng = new SplittableRandom(7);
        for (int[] s : SIZES) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                int n = s[0];
                int k = s[1];
                int m = s[2];
                int aOff = rng.nextInt(3);
                int bOff = rng.nextInt(3);
                int cOff = rng.nextInt(3);
                double[] a = random(rng, aOff + n * k, 0.4);
                double[] b = random(rng, bOff + k * m, 0.0);
                double[] c = new double[cOff + n * m + 2];
                Gemm.multiply(kernel, a, aOff, ta, b, bOff, tb, c, cOff, n, k, m);
                String what = kernel.getClass().getSimpleName() + " " + n + "x" + k + "x" + m
                        + (ta ? " A^T" : "") + (tb ? " B^T" : "");
                assertClose(naive(a, aOff, ta, b, bOff, tb, n, k, m), c, cOff, absProduct(a, aOff, ta, b, bOff, tb, n, k, m), what);
                for (int t = 0; t < cOff; t++) {
                    assertEquals(0.0, c[t], what + ": wrote before C");
                }
                assertEquals(0.0, c[cOff + n * m], what + ": wrote after C");
                assertEquals(0.0, c[cOff + n * m + 1], what + ": wrote after C");
            }
        }
    }

    @Test
    void vectorKernelIsUsedWhenItsModuleIsPresent() {
        if (ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                && !Boolean.getBoolean(VectorApi.DISABLE_PROPERTY)) {
            assertInstanceOf(VectorGemmKernel.class, Gemm.KERNEL);
        } else {
            assertInstanceOf(PlainGemmKernel.class, Gemm.KERNEL);
        }
    }

    @Test
    void zeroRowsOfAGiveZeroRowsOfC() {
        double[] a = new double[6 * 5];
        double[] b = random(new SplittableRandom(3), 5 * 7, 0.0);
        for (GemmKernel kernel : kernels().toList()) {
            double[] c = new double[6 * 7];
            Gemm.multiply(kernel, a, 0, false, b, 0, false, c, 0, 6, 5, 7);
            for (double v : c) {
                assertEquals(0.0, v);
            }
        }
    }

    @Test
    void batchedProductsBroadcastAndMatchTheNaiveProduct() {
        SplittableRandom rng = new SplittableRandom(11);
        List<Shape[]> cases = List.of(
            new Shape[] {Shape.of(3, 5, 6), Shape.of(6, 7)},
            new Shape[] {Shape.of(4, 100, 50), Shape.of(50, 50)},
            new Shape[] {Shape.of(2, 9, 4), Shape.of(2, 4, 13)},
            new Shape[] {Shape.of(6, 5), Shape.of(3, 5, 8)},
            new Shape[] {Shape.of(2, 1, 5, 6), Shape.of(3, 6, 4)},
            new Shape[] {Shape.of(1, 7, 3), Shape.of(4, 3, 1)});
        for (Shape[] shapes : cases) {
            for (int flags = 0; flags < 4; flags++) {
                boolean ta = (flags & 1) != 0;
                boolean tb = (flags & 2) != 0;
                Shape sa = ta ? swapLast(shapes[0]) : shapes[0];
                Shape sb = tb ? swapLast(shapes[1]) : shapes[1];
                double[] a = random(rng, sa.size(), 0.3);
                double[] b = random(rng, sb.size(), 0.0);
                TensorData c = JvmBackend.INSTANCE.matmul(JvmBackend.INSTANCE.fromArray(sa, a), ta,
                        JvmBackend.INSTANCE.fromArray(sb, b), tb);
                MatMulShapes s = MatMulShapes.of(sa, ta, sb, tb);
                assertEquals(s.result(), c.shape());
                checkBatches(a, sa, ta, b, sb, tb, s, c.toArray(), sa + " @ " + sb + " flags " + flags);
            }
        }
    }

    private static void checkBatches(double[] a, Shape sa, boolean ta, double[] b, Shape sb, boolean tb,
                                     MatMulShapes s, double[] c, String what) {
        int n = s.n();
        int k = s.k();
        int m = s.m();
        int[] batch = s.batch().dims();
        Shape ownA = sa.sub(0, sa.rank() - 2);
        Shape ownB = sb.sub(0, sb.rank() - 2);
        int[] stridesA = ownA.broadcastStrides(s.batch());
        int[] stridesB = ownB.broadcastStrides(s.batch());
        int[] idx = new int[batch.length];
        for (int t = 0; t < s.batch().size(); t++) {
            int offA = 0;
            int offB = 0;
            for (int d = 0; d < batch.length; d++) {
                offA += idx[d] * stridesA[d];
                offB += idx[d] * stridesB[d];
            }
            double[] expected = naive(a, offA * n * k, ta, b, offB * k * m, tb, n, k, m);
            double[] scale = absProduct(a, offA * n * k, ta, b, offB * k * m, tb, n, k, m);
            assertClose(expected, c, t * n * m, scale, what + " batch " + t);
            for (int d = batch.length - 1; d >= 0 && ++idx[d] == batch[d]; d--) {
                idx[d] = 0;
            }
        }
    }

    private static Shape swapLast(Shape s) {
        return s.withDim(-2, s.dim(-1)).withDim(-1, s.dim(-2));
    }

    private static double[] random(SplittableRandom rng, int size, double zeros) {
        double[] v = new double[size];
        for (int i = 0; i < size; i++) {
            v[i] = rng.nextDouble() < zeros ? 0.0 : rng.nextDouble(-2, 2);
        }
        return v;
    }

    private static double[] naive(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, int n, int k, int m) {
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += at(a, aOff, ta, i, p, n, k) * at(b, bOff, tb, p, j, k, m);
                }
                c[i * m + j] = acc;
            }
        }
        return c;
    }

    /** Sum of |A(i,p) B(p,j)| per entry: the scale of the rounding error of any summation order. */
    private static double[] absProduct(double[] a, int aOff, boolean ta, double[] b, int bOff, boolean tb, int n, int k, int m) {
        double[] c = new double[n * m];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    acc += Math.abs(at(a, aOff, ta, i, p, n, k) * at(b, bOff, tb, p, j, k, m));
                }
                c[i * m + j] = acc;
            }
        }
        return c;
    }

    /** Element (r, q) of op(X), op(X) being rows x cols. */
    private static double at(double[] x, int off, boolean transposed, int r, int q, int rows, int cols) {
        return transposed ? x[off + q * rows + r] : x[off + r * cols + q];
    }

    private static void assertClose(double[] expected, double[] actual, int off, double[] scale, String what) {
        List<String> bad = new ArrayList<>();
        for (int t = 0; t < expected.length; t++) {
            double err = Math.abs(actual[off + t] - expected[t]);
            if (!(err <= 1e-12 * scale[t])) {
                bad.add("[" + t + "] " + actual[off + t] + " vs " + expected[t]);
            }
        }
        if (!bad.isEmpty()) {
            fail(what + ": " + bad.size() + " entries off, first " + bad.subList(0, Math.min(3, bad.size())));
        }
    }
}
