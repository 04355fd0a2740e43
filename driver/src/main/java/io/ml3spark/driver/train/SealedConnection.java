package io.ml3spark.driver.train;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;

/**
 * One exchange connection after its handshake: every message is sealed with AES-GCM under the
 * connection's own key, its nonce the direction and the message's number, so a message that was
 * altered, replayed, reordered or sent the wrong way fails to open. Frames are
 * {@code int length, ciphertext with its 16-byte tag}.
 */
final class SealedConnection implements Closeable {
    private static final int TAG_BITS = 128;
    private static final int TAG_BYTES = TAG_BITS / 8;

    private final Closeable socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final SecretKeySpec key;
    private final Cipher sealer;
    private final Cipher opener;
    private final int sendDirection;
    private long sent;
    private long received;

    /** {@code relaySide}: this end is the relay's, which sends in direction 1 and receives in direction 0. */
    SealedConnection(Socket socket, DataInputStream in, SecretKeySpec key, boolean relaySide) throws IOException {
        this(socket, in, socket.getOutputStream(), key, relaySide);
    }

    /** Over any streams; {@code closer} ends them. */
    SealedConnection(Closeable closer, DataInputStream in, OutputStream out, SecretKeySpec key, boolean relaySide) {
        this.socket = closer;
        this.in = in;
        this.out = new DataOutputStream(new BufferedOutputStream(out));
        this.key = key;
        this.sendDirection = relaySide ? 1 : 0;
        try {
            this.sealer = Cipher.getInstance("AES/GCM/NoPadding");
            this.opener = Cipher.getInstance("AES/GCM/NoPadding");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES/GCM is part of every Java runtime", e);
        }
    }

    static DataInputStream inputOf(Socket socket) throws IOException {
        return new DataInputStream(new BufferedInputStream(socket.getInputStream()));
    }

    void send(byte[] plain) throws IOException {
        byte[] sealed;
        try {
            sealer.init(Cipher.ENCRYPT_MODE, key, nonce(sendDirection, sent++));
            sealed = sealer.doFinal(plain);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot seal an exchange message: " + e.getMessage(), e);
        }
        out.writeInt(sealed.length);
        out.write(sealed);
        out.flush();
    }

    /** The next message, refused unless it is at most {@code maxPlainBytes} long and opens under this connection's key. */
    byte[] receive(int maxPlainBytes) throws IOException {
        int length = in.readInt();
        if (length < TAG_BYTES || length - TAG_BYTES > maxPlainBytes) {
            throw new IOException("an exchange message of " + length + " bytes, expected at most "
                    + (maxPlainBytes + TAG_BYTES));
        }
        byte[] sealed = in.readNBytes(length);
        if (sealed.length != length) {
            throw new IOException("an exchange message ended early");
        }
        try {
            opener.init(Cipher.DECRYPT_MODE, key, nonce(1 - sendDirection, received++));
            return opener.doFinal(sealed);
        } catch (AEADBadTagException e) {
            throw new IOException("an exchange message failed its authentication");
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot open an exchange message: " + e.getMessage(), e);
        }
    }

    private static GCMParameterSpec nonce(int direction, long number) {
        return new GCMParameterSpec(TAG_BITS, ByteBuffer.allocate(12).putInt(direction).putLong(number).array());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
