package io.ml3spark.driver.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A barrier task's connection to the driver's {@link ExchangeRelay} for one segment: it proves
 * with the segment's key that it is one of the segment's tasks, seals each message it sends and
 * opens every other task's.
 */
final class ExchangeClient implements Closeable {
    /** How long a task waits to reach the relay and for its challenge. */
    static final int CONNECT_TIMEOUT_MS = 30_000;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final MessageSeal seal;
    private final int partition;
    private final int tasks;
    private final int maxMessageBytes;
    private long updates;

    /** Connects as {@code hello}'s task, proving with {@code secret} that it is one of the segment's. */
    ExchangeClient(String relay, ExchangeSecret secret, ExchangeHello hello, int maxMessageBytes) throws IOException {
        int colon = relay.lastIndexOf(':');
        this.socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(relay.substring(0, colon), Integer.parseInt(relay.substring(colon + 1))),
                    CONNECT_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(CONNECT_TIMEOUT_MS);
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            byte[] challenge = in.readNBytes(ExchangeHello.CHALLENGE_BYTES);
            if (challenge.length != ExchangeHello.CHALLENGE_BYTES) {
                throw new IOException("the relay at " + relay + " closed before its challenge");
            }
            out.write(hello.signed(secret, challenge));
            out.flush();
            socket.setSoTimeout(0);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
        this.seal = new MessageSeal(secret.messageKey(hello.attempt()));
        this.partition = hello.partition();
        this.tasks = hello.tasks();
        this.maxMessageBytes = maxMessageBytes;
    }

    /** Sends this task's message and returns every task's, in partition order, each opened and so authenticated. */
    byte[][] exchange(byte[] mine) throws IOException {
        long update = updates++;
        byte[] sealed = seal.seal(partition, update, mine);
        out.writeInt(sealed.length);
        out.write(sealed);
        out.flush();
        int count = in.readInt();
        if (count != tasks) {
            throw new IOException("the relay sent " + count + " messages for " + tasks + " tasks");
        }
        byte[][] all = new byte[count][];
        for (int p = 0; p < count; p++) {
            byte[] frame = ExchangeRelay.readFrame(in, maxMessageBytes + MessageSeal.TAG_BYTES);
            all[p] = p == partition ? mine : seal.open(p, update, frame);
        }
        return all;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
