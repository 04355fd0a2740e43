package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradient;

import java.nio.ByteBuffer;
import java.util.Base64;

/**
 * A {@link MetaGradient} as the string a barrier task exchanges with {@code allGather}:
 * Base64 of its exact bits (sizes, doubles, counts), so every task decodes the same values.
 */
final class MetaGradientCodec {
    private MetaGradientCodec() {
    }

    static String encode(MetaGradient g) {
        int n = g.gradientSum().length;
        int held = g.heldDirections().length;
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * n + 8 + 8 + 8 + 8 + 4 + 8 * held * n);
        b.putInt(n);
        for (double v : g.gradientSum()) {
            b.putDouble(v);
        }
        b.putLong(g.tasks()).putDouble(g.taskLossSum()).putDouble(g.taskLossMax()).putLong(g.skippedTasks());
        b.putInt(held);
        for (double[] d : g.heldDirections()) {
            for (double v : d) {
                b.putDouble(v);
            }
        }
        return Base64.getEncoder().encodeToString(b.array());
    }

    static MetaGradient decode(String s) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getDecoder().decode(s));
        int n = b.getInt();
        if (n < 0 || 8L * n > b.remaining()) {
            throw new IllegalArgumentException("a meta-gradient message claims " + n + " values in " + b.remaining()
                    + " bytes");
        }
        double[] sum = new double[n];
        for (int i = 0; i < n; i++) {
            sum[i] = b.getDouble();
        }
        long tasks = b.getLong();
        double lossSum = b.getDouble();
        double lossMax = b.getDouble();
        long skipped = b.getLong();
        int held = b.getInt();
        if (held < 0 || 8L * held * n != b.remaining()) {
            throw new IllegalArgumentException("a meta-gradient message claims " + held + " held directions of " + n
                    + " in " + b.remaining() + " bytes");
        }
        double[][] directions = new double[held][n];
        for (double[] d : directions) {
            for (int i = 0; i < n; i++) {
                d[i] = b.getDouble();
            }
        }
        return new MetaGradient(sum, tasks, lossSum, lossMax, skipped, directions);
    }
}
