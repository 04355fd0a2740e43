package io.ml3spark.ml3;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;

class HeldDirectionsTest {
    private static final int N = 50;

    private static double[] gaussian(SplittableRandom rng) {
        double[] v = new double[N];
        for (int i = 0; i < N; i++) {
            v[i] = rng.nextGaussian();
        }
        return v;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void projectionIsOrthogonalToEveryHeldDirectionEvenWhenTheyAreDependent() {
        SplittableRandom rng = new SplittableRandom(1);
        double[] a = gaussian(rng);
        double[] b = gaussian(rng);
        double[] sum = new double[N];
        for (int i = 0; i < N; i++) {
            sum[i] = 2 * a[i] - 3 * b[i];
        }
        double[][] held = {a, b, sum};
        double[] v = gaussian(rng);
        double[] p = HeldDirections.project(v, held);
        for (double[] d : held) {
            assertEquals(0, dot(p, d), 1e-10 * Math.sqrt(dot(d, d)) * Math.sqrt(dot(v, v)));
        }
        assertEquals(2, HeldDirections.orthonormal(held).length, "the dependent third direction is dropped");
        assertArrayEquals(p, HeldDirections.project(p, held), 1e-12, "projecting twice changes nothing");
        double[] removed = new double[N];
        for (int i = 0; i < N; i++) {
            removed[i] = v[i] - p[i];
        }
        double[] inSpan = HeldDirections.project(removed, held);
        assertEquals(0, Math.sqrt(dot(inSpan, inSpan)), 1e-10, "only the held span was removed");
    }

    @Test
    void stepMovesOnlyInTheComplementAndNothingHeldIsTheIdentity() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] from = gaussian(rng);
        double[] to = gaussian(rng);
        double[] held = gaussian(rng);
        double[] projected = HeldDirections.step(from, to, new double[][] {held});
        double[] delta = new double[N];
        for (int i = 0; i < N; i++) {
            delta[i] = projected[i] - from[i];
        }
        assertEquals(0, dot(delta, held), 1e-10);
        assertFalse(java.util.Arrays.equals(projected, from), "the step is not cancelled");
        assertSame(to, HeldDirections.step(from, to, new double[0][]));
        assertArrayEquals(to, HeldDirections.step(from, to, new double[][] {new double[N]}), 1e-12,
                "a zero direction (a task loss that phi cannot change) holds nothing");
    }

    @Test
    void metaGradientsCarryTheirHeldDirectionsThroughPlus() {
        MetaGradient a = MetaGradient.of(new double[] {1, 2}, new double[] {0.5}).holding(new double[] {1, 0});
        MetaGradient b = MetaGradient.of(new double[] {3, 4}, new double[] {1.5}).holding(new double[] {0, 1});
        MetaGradient sum = a.plus(b);
        assertEquals(2, sum.heldDirections().length);
        assertArrayEquals(new double[] {0, 1}, sum.heldDirections()[1], 0);
        assertFalse(MetaGradient.of(new double[] {1, 2}, new double[] {0.5}).holding(new double[] {Double.NaN, 0})
                .isFinite(), "a non-finite held direction makes the meta-gradient non-finite");
    }
}
