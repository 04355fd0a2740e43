package io.ml3spark.driver.train;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * Seals and opens the messages of one stage attempt of a segment with AES-GCM under the
 * attempt's key ({@link ExchangeSecret#messageKey}). The nonce is the sending task's partition
 * and the message's number (its update), so each sender's nonces never repeat, and a message that
 * was altered, replayed, reordered or attributed to another task fails to open. The relay
 * forwards sealed messages as they are; only the tasks, which hold the key, open them.
 */
final class MessageSeal {
    static final int TAG_BYTES = 16;

    private final SecretKeySpec key;
    private final Cipher cipher;

    MessageSeal(SecretKeySpec key) {
        this.key = key;
        try {
            this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every Java runtime", e);
        }
    }

    /** Task {@code partition}'s message number {@code number}, sealed. */
    byte[] seal(int partition, long number, byte[] plain) throws IOException {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nonce(partition, number));
            return cipher.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot seal an exchange message: " + e.getMessage(), e);
        }
    }

    /** The plaintext of {@code sealed}, if it is task {@code partition}'s message number {@code number} under this key. */
    byte[] open(int partition, long number, byte[] sealed) throws IOException {
        try {
            cipher.init(Cipher.DECRYPT_MODE, key, nonce(partition, number));
            return cipher.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new IOException("the exchange message of task " + partition + " failed its authentication");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open an exchange message: " + e.getMessage(), e);
        }
    }

    private static GCMParameterSpec nonce(int partition, long number) {
        return new GCMParameterSpec(8 * TAG_BYTES, ByteBuffer.allocate(12).putInt(partition).putLong(number).array());
    }
}
