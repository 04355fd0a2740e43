package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PpoLossTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    private static Tensor t(double... v) {
        return Tensor.constant(B, v, v.length);
    }

    @Test
    void theClippedSurrogateAndValueLossByHand() {
        PpoLoss ppo = new PpoLoss(0.2, 0.5, true);
        double[] logp = {Math.log(1.5), Math.log(0.5), Math.log(1.1)};
        double[] adv = {1.0, -1.0, 2.0};
        // Normalised advantages: mean 2/3, std (Bessel) sqrt(((1/3)^2 + (5/3)^2 + (4/3)^2) / 2).
        double mean = 2.0 / 3;
        double std = Math.sqrt((Math.pow(1 - mean, 2) + Math.pow(-1 - mean, 2) + Math.pow(2 - mean, 2)) / 2);
        double[] ratio = {1.5, 0.5, 1.1};
        double expected = 0;
        for (int i = 0; i < 3; i++) {
            double a = (adv[i] - mean) / (std + 1e-8);
            double clipped = Math.max(0.8, Math.min(1.2, ratio[i]));
            expected += Math.max(-a * ratio[i], -a * clipped) / 3;
        }
        assertEquals(expected, ppo.surrogate(t(logp), t(0, 0, 0), t(adv)).item(), 1e-12);
        // Values 1.0 and 3.0 against returns 2.0, old values 1.5 and 1.5: clipped to 1.3 and 1.7.
        double plain = 0.5 * ((1.0 - 2.0) * (1.0 - 2.0) + (3.0 - 2.0) * (3.0 - 2.0)) / 2;
        double withClip = 0.5 * (Math.max(1.0, 0.49) + Math.max(1.0, 0.09)) / 2;
        assertEquals(plain, new PpoLoss(0.2, 0.5, false).valueLoss(t(1.0, 3.0), t(1.5, 1.5), t(2.0, 2.0)).item(), 1e-12);
        assertEquals(withClip, ppo.valueLoss(t(1.0, 3.0), t(1.5, 1.5), t(2.0, 2.0)).item(), 1e-12);
        Tensor v = t(1.9, 2.4);
        double clippedLoss = 0.5 * (Math.max(0.01, Math.pow(1.7 - 2.0, 2)) + Math.max(0.16, Math.pow(1.7 - 2.0, 2))) / 2;
        assertEquals(clippedLoss, ppo.valueLoss(v, t(1.5, 1.5), t(2.0, 2.0)).item(), 1e-12);
    }

    @Test
    void itsGradientMatchesFiniteDifferences() {
        PpoLoss ppo = new PpoLoss(0.2, 0.5, true);
        SplittableRandom rng = new SplittableRandom(3);
        int n = 16;
        Tensor oldLogp = Tensor.constant(B, GradCheck.uniform(rng, n, -1, 0), n);
        Tensor adv = Tensor.constant(B, GradCheck.uniform(rng, n, -2, 2), n);
        Tensor oldV = Tensor.constant(B, GradCheck.uniform(rng, n, -1, 1), n);
        Tensor ret = Tensor.constant(B, GradCheck.uniform(rng, n, -1, 1), n);
        // Inputs near oldLogp and oldV, so that some ratios and values are inside the clip range and some outside.
        double[] logp = oldLogp.toArray();
        double[] v = oldV.toArray();
        for (int i = 0; i < n; i++) {
            logp[i] += (rng.nextDouble() - 0.5) * 0.8;
            v[i] += (rng.nextDouble() - 0.5) * 0.8;
        }
        GradCheck.Fn f = in -> ppo.of(in.get(0), oldLogp, adv, in.get(1), oldV, ret);
        assertTrue(GradCheck.firstOrder(B, f, List.of(logp, v), List.of(Shape.of(n), Shape.of(n))) < GradCheck.TOLERANCE);
    }

    @Test
    void aNonPositiveClipRangeIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PpoLoss(0, 0.5, true));
        assertTrue(e.getMessage().contains("clip range must be positive"), e.getMessage());
    }
}
