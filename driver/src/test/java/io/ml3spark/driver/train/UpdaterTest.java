package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.optim.Adam;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The updaters: Adam's step, and the decorator that leaves held directions alone. */
class UpdaterTest {
    private static final double[] PHI = {0.5, -1.0, 2.0};
    private static final double[] GRADIENT = {0.3, 0.1, -0.4};

    private static Adam adam() {
        return new Adam(3, 0.1, 0.9, 0.999, 1e-8);
    }

    @Test
    void withoutHeldDirectionsTheDecoratorIsAdamBitForBit() {
        MetaGradient g = MetaGradient.of(GRADIENT, new double[] {1.0});
        assertArrayEquals(adam().step(PHI, g.mean()), Updater.holdingDirections(Updater.adam(adam())).step(PHI, g));
    }

    @Test
    void theDecoratedStepIsOrthogonalToAHeldDirectionThatAdamAloneWouldMove() {
        double[] held = {1.0, 1.0, 0.0};
        MetaGradient g = MetaGradient.of(GRADIENT, new double[] {1.0}).holding(held);
        double[] plain = Updater.adam(adam()).step(PHI, g);
        double[] holding = Updater.holdingDirections(Updater.adam(adam())).step(PHI, g);
        assertTrue(Math.abs(dot(delta(plain), held)) > 0.1, "Adam alone moves along the held direction");
        assertEquals(0.0, dot(delta(holding), held), 1e-15);
        assertEquals(plain[2], holding[2], 1e-15, "the orthogonal coordinate is Adam's");
    }

    private static double[] delta(double[] next) {
        double[] d = new double[next.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = next[i] - PHI[i];
        }
        return d;
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
