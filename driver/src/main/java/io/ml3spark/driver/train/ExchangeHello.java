package io.ml3spark.driver.train;

import java.nio.ByteBuffer;

/**
 * What a task tells the relay after the relay's challenge: which segment, stage attempt and
 * partition it is, of how many tasks, and a MAC over the challenge and these fields under the
 * segment's {@link ExchangeSecret}. Fixed in size, so the relay reads it into a buffer of its own.
 */
record ExchangeHello(long segment, int attempt, int partition, int tasks) {
    /** "ML3X", then the protocol's version. */
    private static final int MAGIC = 0x4D4C3358;
    private static final int VERSION = 2;
    static final int HEADER_BYTES = 4 + 4 + 8 + 4 + 4 + 4;
    static final int BYTES = HEADER_BYTES + ExchangeSecret.MAC_BYTES;
    static final int CHALLENGE_BYTES = 32;

    byte[] header() {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(MAGIC).putInt(VERSION).putLong(segment).putInt(attempt)
                .putInt(partition).putInt(tasks).array();
    }

    /** The hello a task sends in answer to {@code challenge}. */
    byte[] signed(ExchangeSecret secret, byte[] challenge) {
        byte[] header = header();
        return ByteBuffer.allocate(BYTES).put(header).put(secret.helloMac(challenge, header)).array();
    }

    /**
     * The hello in {@code bytes} ({@link #BYTES} of them) if it answers {@code challenge} under
     * {@code secret}, else null: a peer without the key learns nothing from which check failed.
     */
    static ExchangeHello verified(byte[] bytes, byte[] challenge, ExchangeSecret secret) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        byte[] header = new byte[HEADER_BYTES];
        byte[] mac = new byte[ExchangeSecret.MAC_BYTES];
        b.get(header).get(mac);
        if (!secret.acceptsHello(challenge, header, mac)) {
            return null;
        }
        ByteBuffer h = ByteBuffer.wrap(header);
        if (h.getInt() != MAGIC || h.getInt() != VERSION) {
            return null;
        }
        return new ExchangeHello(h.getLong(), h.getInt(), h.getInt(), h.getInt());
    }
}
