package io.ml3spark.driver.train;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;

/**
 * The key of one barrier segment's exchange: drawn fresh on the driver for each segment and
 * shipped to the segment's tasks inside the barrier job, so only the driver and peers that can
 * read the job's tasks know it (with {@code spark.authenticate} on, only the run's own executors).
 * A task proves it knows the key by a MAC over the relay's challenge, and seals its messages
 * ({@link MessageSeal}) under a key derived from it and the stage attempt.
 */
final class ExchangeSecret implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int BYTES = 32;
    static final int MAC_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] HELLO = "ml3-exchange-hello".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MESSAGES = "ml3-exchange-messages".getBytes(StandardCharsets.US_ASCII);

    private final byte[] key;

    private ExchangeSecret(byte[] key) {
        this.key = key;
    }

    static ExchangeSecret fresh() {
        return new ExchangeSecret(randomBytes(BYTES));
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** What a task sends to prove it holds the key: a MAC over the relay's challenge and the task's header. */
    byte[] helloMac(byte[] challenge, byte[] header) {
        return mac(HELLO, challenge, header);
    }

    /** Whether {@code mac} is {@link #helloMac} of these bytes, compared in constant time. */
    boolean acceptsHello(byte[] challenge, byte[] header, byte[] mac) {
        return MessageDigest.isEqual(helloMac(challenge, header), mac);
    }

    /** The AES-256 key of the messages of stage attempt {@code attempt}: a retried attempt never reuses a nonce. */
    SecretKeySpec messageKey(int attempt) {
        return new SecretKeySpec(mac(MESSAGES, ByteBuffer.allocate(4).putInt(attempt).array()), "AES");
    }

    private byte[] mac(byte[]... parts) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] p : parts) {
                m.update(p);
            }
            return m.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java runtime", e);
        }
    }

    @Override
    public String toString() {
        return "ExchangeSecret[redacted]";
    }
}
