package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.TensorData;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Compares a tensor computed by another backend with the JVM backend's. Elements agree
 * when both are the same NaN or infinity, or when {@code |actual - expected| <= TOLERANCE *
 * max(1, |expected|)}: relative for magnitudes above 1 and absolute below, since ND4J's
 * tanh, ELU and softplus are accurate near 0 only in absolute terms (see Nd4jElementwise).
 */
final class Agreement {
    static final double TOLERANCE = 1e-10;

    private Agreement() {
    }

    static void assertAgree(String what, TensorData expected, TensorData actual) {
        assertEquals(expected.shape(), actual.shape(), what + ": shape");
        assertAgree(what, expected.toArray(), actual.toArray());
    }

    static void assertAgree(String what, double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length, what + ": length");
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.compare(e, a) == 0 || e == a) {
                continue;
            }
            if (Double.isNaN(e) || Double.isNaN(a) || Double.isInfinite(e) || Double.isInfinite(a)
                    || Math.abs(a - e) > TOLERANCE * Math.max(1.0, Math.abs(e))) {
                fail(what + ": element " + i + " is " + a + ", expected " + e);
            }
        }
    }
}
