package io.ml3spark.experiments;

import io.ml3spark.config.Settings;

import java.util.Arrays;
import java.util.Locale;

/**
 * How a network's inputs are scaled, one number per input. {@code input-divisor}: each input is
 * divided by its number, as the ML3 reference code does ({@code x / norm_in}); it is applied as
 * the factor {@code 1 / d}, exact for powers of two. {@code input-scale}: each input is multiplied
 * by its number, the key of configs written before {@code input-divisor} (run directories and
 * learned-loss files keep their meaning). A learned loss's feature names record it: {@code dq1_div8}
 * for a divisor, {@code dq1_x8} for a factor, the bare name for 1.
 */
public record InputScaling(double[] given, boolean divides) {
    public static final String DIVISOR = "input-divisor";
    public static final String FACTOR = "input-scale";

    public InputScaling {
        given = given.clone();
    }

    /** A section's {@code input-divisor} or {@code input-scale} (exactly one), {@code n} numbers meaning {@code meaning}. */
    public static InputScaling read(Settings s, int n, String meaning) {
        boolean divisor = s.hasPath(DIVISOR);
        if (divisor == s.hasPath(FACTOR)) {
            throw s.invalid(DIVISOR, n + " numbers (" + meaning + "), each input divided by its number ("
                    + (divisor ? "not also " + FACTOR + ", the older multiplying key)" : "or " + FACTOR + ", the older key"
                    + " that multiplies)"));
        }
        String key = divisor ? DIVISOR : FACTOR;
        double[] v = ConfigReaders.numbers(s, key, n, (divisor ? "a divisor per input: " : "a factor per input: ") + meaning);
        for (double x : v) {
            if (!(x != 0 && Double.isFinite(x))) {
                throw s.invalid(key, "finite non-zero numbers (" + meaning + "), got " + Arrays.toString(v));
            }
        }
        return new InputScaling(v, divisor);
    }

    /** The same numbers as divisors. */
    public static InputScaling dividing(double... divisors) {
        return new InputScaling(divisors, true);
    }

    public int size() {
        return given.length;
    }

    /** What each input is multiplied by. */
    public double[] factors() {
        return Arrays.stream(given).map(x -> divides ? 1 / x : x).toArray();
    }

    /** Input {@code i}'s feature name, marked with its divisor or factor where that is not 1. */
    public String featureName(int i, String name) {
        double x = given[i];
        if (x == 1) {
            return name;
        }
        String f = x == Math.rint(x) ? Long.toString((long) x) : Double.toString(x);
        return name + (divides ? "_div" : "_x") + f.replace('.', 'p').replace('-', 'm').toLowerCase(Locale.ROOT);
    }
}
