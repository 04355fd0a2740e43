package io.ml3spark.driver.train;

import io.ml3spark.ml3.MetaGradient;

import java.nio.ByteBuffer;

/**
 * A {@link MetaGradient} as the bytes barrier tasks exchange through the {@link ExchangeRelay}:
 * its exact bits (sizes, doubles, counts), so every task decodes the same values.
 */
final class MetaGradientCodec {
    private MetaGradientCodec() {
    }

    /** The longest message of a group of at most {@code groupSize} tasks on a phi of {@code phiSize}: one held direction per task at most. */
    static int maxBytes(int phiSize, int groupSize) {
        return Math.toIntExact(4 + 8L * phiSize + 8 + 8 + 8 + 8 + 4 + 8L * groupSize * phiSize);
    }

    static byte[] encode(MetaGradient g) {
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
        return b.array();
    }

    static MetaGradient decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        if (b.remaining() < 4 + 8 + 8 + 8 + 8 + 4) {
            throw new IllegalArgumentException("a meta-gradient message of " + b.remaining() + " bytes is too short");
        }
        int n = b.getInt();
        if (n < 0 || 8L * n + 8 + 8 + 8 + 8 + 4 > b.remaining()) {
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
