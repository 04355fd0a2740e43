package io.ml3spark.nn;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** An MLP's identity is its architecture: what a learned-loss file must match to be loaded into a config. */
class MlpEqualityTest {
    private static Mlp mlp(int[] sizes, Activation hidden, Activation output, boolean bias) {
        return new Mlp(sizes, hidden, output, bias);
    }

    @Test
    void equalArchitecturesAreEqualAndEachDifferenceCounts() {
        Mlp a = mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS, false);
        Mlp same = mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS, false);
        assertEquals(a, same);
        assertEquals(a.hashCode(), same.hashCode());
        assertNotEquals(a, mlp(new int[] {2, 50, 40, 1}, Activation.RELU, Activation.SOFTPLUS, false));
        assertNotEquals(a, mlp(new int[] {2, 50, 50, 1}, Activation.TANH, Activation.SOFTPLUS, false));
        assertNotEquals(a, mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.IDENTITY, false));
        assertNotEquals(a, mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS, true));
    }
}
