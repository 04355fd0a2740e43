package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class OrthogonalInitTest {
    /** (W^T W) for a tall matrix, (W W^T) for a wide one: gain^2 times the identity. */
    private static void assertScaledOrthonormal(double[] w, int rows, int cols, double gain) {
        boolean tall = rows >= cols;
        int k = tall ? cols : rows;
        for (int a = 0; a < k; a++) {
            for (int b = 0; b < k; b++) {
                double dot = 0;
                int n = tall ? rows : cols;
                for (int j = 0; j < n; j++) {
                    dot += tall ? w[j * cols + a] * w[j * cols + b] : w[a * cols + j] * w[b * cols + j];
                }
                assertEquals(a == b ? gain * gain : 0, dot, 1e-12, "entry (" + a + ", " + b + ")");
            }
        }
    }

    @Test
    void weightsAreGainTimesOrthonormalTallOrWide() {
        assertScaledOrthonormal(OrthogonalInit.orthogonal(64, 8, Math.sqrt(2), new SplittableRandom(1)), 64, 8, Math.sqrt(2));
        assertScaledOrthonormal(OrthogonalInit.orthogonal(8, 64, 0.01, new SplittableRandom(2)), 8, 64, 0.01);
        assertScaledOrthonormal(OrthogonalInit.orthogonal(16, 16, 1.0, new SplittableRandom(3)), 16, 16, 1.0);
    }

    @Test
    void aNetworkGetsCleanRlsGainsZeroBiasesAndSeedsPerTask() {
        Mlp net = new Mlp(new int[] {8, 64, 64, 2}, Activation.TANH, Activation.IDENTITY, true);
        OrthogonalInit init = OrthogonalInit.ppo(3, 0.01);
        List<Tensor> two = init.initializeBatch(net, JvmBackend.INSTANCE, new long[] {5, 6});
        List<Tensor> one = init.initializeBatch(net, JvmBackend.INSTANCE, new long[] {6});
        assertEquals(6, two.size());
        double[] last = one.get(4).toArray();
        assertScaledOrthonormal(last, 64, 2, 0.01);
        assertScaledOrthonormal(one.get(0).toArray(), 8, 64, Math.sqrt(2));
        assertArrayEquals(new double[64], one.get(1).toArray(), "zero biases");
        assertArrayEquals(one.get(2).toArray(), two.get(2).slice(0, 1, 2).toArray(), "task 2's draw is its seed's alone");
        assertThrows(IllegalArgumentException.class, () -> new OrthogonalInit(new double[] {1}).initializeBatch(net,
                JvmBackend.INSTANCE, new long[] {1}));
    }
}
