package io.ml3spark.ml3;

/**
 * Deterministic seed derivation: every random draw of a run comes from a seed derived
 * from (run seed, iteration, task index, purpose), so a retried or resumed Spark task
 * recomputes exactly the same numbers. Mixing is SplitMix64's finaliser.
 */
public final class Seeds {
    private Seeds() {
    }

    public static long derive(long... parts) {
        long h = 0x9E3779B97F4A7C15L;
        for (long p : parts) {
            h = mix(h ^ mix(p + 0x9E3779B97F4A7C15L));
        }
        return h;
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
