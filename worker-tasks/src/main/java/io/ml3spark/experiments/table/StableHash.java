package io.ml3spark.experiments.table;

import io.ml3spark.ml3.Seeds;

import java.nio.charset.StandardCharsets;

/**
 * 64-bit hashes of a task id and of a row's values that depend on nothing else: not on the JVM,
 * the partition a row arrived in, or the order Spark delivered it. They split tables and order
 * rows, so a run reads the same tasks in the same order wherever it runs.
 */
public final class StableHash {
    private StableHash() {
    }

    /** The hash of a task id's UTF-8 bytes, with {@code salt}. */
    public static long of(String id, long salt) {
        byte[] bytes = id.getBytes(StandardCharsets.UTF_8);
        long[] words = new long[(bytes.length + 7) / 8 + 2];
        words[0] = salt;
        words[1] = bytes.length;
        for (int i = 0; i < bytes.length; i++) {
            words[2 + i / 8] |= (bytes[i] & 0xFFL) << (8 * (i % 8));
        }
        return Seeds.derive(words);
    }

    /** The hash of a row's values (their exact bits), with {@code salt}. */
    public static long of(double[] row, long salt) {
        long[] words = new long[row.length + 1];
        words[0] = salt;
        for (int i = 0; i < row.length; i++) {
            words[i + 1] = Double.doubleToLongBits(row[i]);
        }
        return Seeds.derive(words);
    }

    /** A hash as a number in [0, 1), for splitting by a fraction. */
    public static double unit(long hash) {
        return (hash >>> 11) * 0x1.0p-53;
    }
}
