package io.ml3spark.ml3;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvolutionStrategyTest {
    private static final double[] PHI = {0.3, -1.2, 2.0, 0.5};
    /** J(phi) = sum_i (i + 1) phi_i^2 + phi_0 phi_1: a quadratic, where antithetic pairs are unbiased at any sigma. */
    private static final ToDoubleFunction<double[]> QUADRATIC = p -> {
        double j = p[0] * p[1];
        for (int i = 0; i < p.length; i++) {
            j += (i + 1) * p[i] * p[i];
        }
        return j;
    };

    private static double[] exactGradient(double[] p) {
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) {
            g[i] = 2 * (i + 1) * p[i];
        }
        g[0] += p[1];
        g[1] += p[0];
        return g;
    }

    @Test
    void averageOfManyPairsApproachesTheGradient() {
        EvolutionStrategy es = new EvolutionStrategy(1, 0.5);
        MetaGradient sum = MetaGradient.zero(PHI.length);
        for (int pair = 0; pair < 20_000; pair++) {
            sum = sum.plus(es.pair(PHI, Seeds.derive(11, pair), QUADRATIC));
        }
        double[] estimate = sum.mean();
        double[] exact = exactGradient(PHI);
        for (int i = 0; i < exact.length; i++) {
            // Monte-Carlo error ~ |grad| / sqrt(20000) ~ 0.1
            assertEquals(exact[i], estimate[i], 0.35, "component " + i);
        }
        assertEquals(20_000, sum.tasks());
    }

    @Test
    void aPairIsDeterministicInItsSeedAndItsTaskLossIsTheMeanObjective() {
        EvolutionStrategy es = new EvolutionStrategy(1, 0.1);
        MetaGradient a = es.pair(PHI, 42, QUADRATIC);
        assertArrayEquals(a.gradientSum(), es.pair(PHI, 42, QUADRATIC).gradientSum(), 0.0);
        assertFalse(Arrays.equals(a.gradientSum(), es.pair(PHI, 43, QUADRATIC).gradientSum()));
        double[] e = EvolutionStrategy.noise(PHI.length, 42);
        double[] plus = PHI.clone();
        double[] minus = PHI.clone();
        for (int i = 0; i < e.length; i++) {
            plus[i] += 0.1 * e[i];
            minus[i] -= 0.1 * e[i];
        }
        assertEquals((QUADRATIC.applyAsDouble(plus) + QUADRATIC.applyAsDouble(minus)) / 2, a.taskLossSum(), 1e-12);
    }

    @Test
    void seesAStepThatBackpropagationCannot() {
        // J is flat on both sides of a cliff at 0: its gradient is 0 everywhere but at the jump.
        ToDoubleFunction<double[]> cliff = p -> p[0] < 0 ? 1.0 : 0.0;
        EvolutionStrategy es = new EvolutionStrategy(1, 0.2);
        MetaGradient sum = MetaGradient.zero(1);
        for (int pair = 0; pair < 2000; pair++) {
            sum = sum.plus(es.pair(new double[] {-0.1}, Seeds.derive(5, pair), cliff));
        }
        assertTrue(sum.mean()[0] < -0.5, "points across the cliff: " + sum.mean()[0]);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EvolutionStrategy(0, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new EvolutionStrategy(4, 0.0));
    }
}
