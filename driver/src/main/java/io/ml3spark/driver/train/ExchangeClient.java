package io.ml3spark.driver.train;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/** A barrier task's connection to the driver's {@link ExchangeRelay} for one segment. */
final class ExchangeClient implements Closeable {
    /** How long a task waits to reach the relay and for its challenge. */
    static final int CONNECT_TIMEOUT_MS = 30_000;

    private final SealedConnection connection;
    private final int tasks;
    private final int maxMessageBytes;

    /** Connects as {@code hello}'s task, proving with {@code secret} that it is one of the segment's. */
    ExchangeClient(String relay, ExchangeSecret secret, ExchangeHello hello, int maxMessageBytes) throws IOException {
        int colon = relay.lastIndexOf(':');
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(relay.substring(0, colon), Integer.parseInt(relay.substring(colon + 1))),
                    CONNECT_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            DataInputStream in = SealedConnection.inputOf(socket);
            byte[] challenge = in.readNBytes(ExchangeHello.CHALLENGE_BYTES);
            if (challenge.length != ExchangeHello.CHALLENGE_BYTES) {
                throw new IOException("the relay at " + relay + " closed before its challenge");
            }
            socket.getOutputStream().write(hello.signed(secret, challenge));
            socket.setSoTimeout(0);
            this.connection = new SealedConnection(socket, in, secret.connectionKey(challenge, hello.partition()), false);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        this.tasks = hello.tasks();
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Sends this task's message and returns every task's, in partition order. */
    byte[][] exchange(byte[] mine) throws IOException {
        connection.send(mine);
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(
                connection.receive(ExchangeRelay.maxReplyBytes(tasks, maxMessageBytes))));
        int count = in.readInt();
        if (count != tasks) {
            throw new IOException("the relay sent " + count + " messages for " + tasks + " tasks");
        }
        byte[][] all = new byte[count][];
        for (int p = 0; p < count; p++) {
            int length = in.readInt();
            if (length < 0 || length > maxMessageBytes) {
                throw new IOException("the relay sent a message of " + length + " bytes");
            }
            all[p] = in.readNBytes(length);
            if (all[p].length != length) {
                throw new IOException("the relay's message ended early");
            }
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        connection.close();
    }
}
