package io.ml3spark.control.ppo;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class GaeTest {
    private static final double[][] REWARDS = {{1.0, -0.5, 2.0}};
    private static final double[][] VALUES = {{0.2, 0.4, -0.1, 0.7}};

    @Test
    void advantagesByHandOnAThreeStepEpisode() {
        double g = 0.9;
        double l = 0.8;
        // Without bootstrap nothing follows the horizon.
        double d2 = 2.0 - (-0.1);
        double d1 = -0.5 + g * -0.1 - 0.4;
        double d0 = 1.0 + g * 0.4 - 0.2;
        double a2 = d2;
        double a1 = d1 + g * l * a2;
        double a0 = d0 + g * l * a1;
        assertArrayEquals(new double[] {a0, a1, a2}, new Gae(g, l, false).advantages(REWARDS, VALUES)[0], 1e-15);
        // With bootstrap V(s_3) stands in for the rest.
        double b2 = 2.0 + g * 0.7 - (-0.1);
        double b1 = d1 + g * l * b2;
        double b0 = d0 + g * l * b1;
        assertArrayEquals(new double[] {b0, b1, b2}, new Gae(g, l, true).advantages(REWARDS, VALUES)[0], 1e-15);
    }

    @Test
    void lambdaOneGivesDiscountedReturnsMinusValuesAndReturnsAddThemBack() {
        double g = 0.5;
        double[][] a = new Gae(g, 1.0, false).advantages(REWARDS, VALUES);
        double r0 = 1.0 + g * -0.5 + g * g * 2.0;
        assertEquals(r0 - 0.2, a[0][0], 1e-15);
        assertEquals(r0, Gae.returns(a, VALUES)[0][0], 1e-15);
        double[][] oneStep = new Gae(g, 0.0, false).advantages(REWARDS, VALUES);
        assertEquals(1.0 + g * 0.4 - 0.2, oneStep[0][0], 1e-15);
    }

    @Test
    void badSettingsAndShapesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Gae(1.5, 0.95, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Gae(0.99, 0.95, false).advantages(REWARDS, new double[][] {{0, 0, 0}}));
        assertEquals("episode 0: 3 rewards need 4 values, got 3", e.getMessage());
    }
}
