package io.ml3spark.driver.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;

/** A barrier task's connection to the driver's {@link ExchangeRelay} for one segment. */
final class ExchangeClient implements Closeable {
    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private final int tasks;

    ExchangeClient(String relay, long segment, int attempt, int partition, int tasks) throws IOException {
        int colon = relay.lastIndexOf(':');
        this.socket = new Socket(relay.substring(0, colon), Integer.parseInt(relay.substring(colon + 1)));
        socket.setTcpNoDelay(true);
        this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
        this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        this.tasks = tasks;
        out.writeLong(segment);
        out.writeInt(attempt);
        out.writeInt(partition);
        out.writeInt(tasks);
        out.flush();
    }

    /** Sends this task's message and returns every task's, in partition order. */
    byte[][] exchange(byte[] mine) throws IOException {
        out.writeInt(mine.length);
        out.write(mine);
        out.flush();
        int count = in.readInt();
        if (count != tasks) {
            throw new IOException("the relay sent " + count + " messages for " + tasks + " tasks");
        }
        byte[][] all = new byte[count][];
        for (int p = 0; p < count; p++) {
            int length = in.readInt();
            if (length < 0 || length > ExchangeRelay.MAX_MESSAGE_BYTES) {
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
        socket.close();
    }
}
