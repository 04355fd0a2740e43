package io.ml3spark.driver.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.HashMap;
import java.util.Map;

/**
 * The driver's relay for the meta-gradients of a barrier segment's tasks. Spark's own
 * {@code allGather} polls its reply once a second, so an exchange through it costs up to a
 * second per update; here each task keeps one connection to the driver for the whole segment,
 * sends its message per update, and gets back every task's message in partition order.
 * Tasks of a retried stage attempt connect afresh and form a new round.
 *
 * <p>Protocol: the task sends {@code long segment, int attempt, int partition, int tasks},
 * then per update {@code int length, bytes}; the relay answers each update with
 * {@code int tasks, then int length, bytes} per partition.
 */
final class ExchangeRelay implements Closeable {
    /** The largest message a task may send: the relay allocates only what arrived within this. */
    static final int MAX_MESSAGE_BYTES = 1 << 30;
    /** A connection that does not say which task it is within this long is dropped. */
    static final int HEADER_TIMEOUT_MS = 10_000;

    private final ServerSocket server;
    private final Thread acceptor;
    private final Map<String, Round> rounds = new HashMap<>();

    private final String advertised;

    private ExchangeRelay(ServerSocket server, String advertised) {
        this.server = server;
        this.advertised = advertised;
        this.acceptor = new Thread(this::acceptAll, "ml3-exchange-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay on a free port of {@code bindHost}, which tasks reach at {@code advertisedHost} (as Spark's own driver ports). */
    static ExchangeRelay start(String bindHost, String advertisedHost) throws IOException {
        return new ExchangeRelay(new ServerSocket(0, 64, InetAddress.getByName(bindHost)), advertisedHost);
    }

    /** {@code host:port} for the tasks. */
    String address() {
        return advertised + ":" + server.getLocalPort();
    }

    private void acceptAll() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                s.setTcpNoDelay(true);
                s.setSoTimeout(HEADER_TIMEOUT_MS);
                join(s);
            } catch (IOException e) {
                // closed, or one connection that failed its header: the others go on
            }
        }
    }

    private void join(Socket s) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(s.getInputStream()));
        long segment = in.readLong();
        int attempt = in.readInt();
        int partition = in.readInt();
        int tasks = in.readInt();
        s.setSoTimeout(0);
        if (tasks < 1 || tasks > 1 << 16 || partition < 0 || partition >= tasks) {
            s.close();
            return;
        }
        Round ready = null;
        synchronized (rounds) {
            String key = segment + "/" + attempt;
            Round r = rounds.computeIfAbsent(key, k -> new Round(tasks));
            if (r.add(partition, s, in)) {
                rounds.remove(key);
                ready = r;
            }
        }
        if (ready != null) {
            Thread t = new Thread(ready::relay, "ml3-exchange-round");
            t.setDaemon(true);
            t.start();
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }

    /** One stage attempt's tasks: once all have connected, relays their updates until one closes. */
    private static final class Round {
        private final Socket[] sockets;
        private final DataInputStream[] ins;
        private int connected;

        Round(int tasks) {
            sockets = new Socket[tasks];
            ins = new DataInputStream[tasks];
        }

        /** Adds a task's connection; true when every task has connected. */
        boolean add(int partition, Socket s, DataInputStream in) throws IOException {
            if (sockets[partition] != null) {
                s.close();
                return false;
            }
            sockets[partition] = s;
            ins[partition] = in;
            return ++connected == sockets.length;
        }

        void relay() {
            try {
                DataOutputStream[] outs = new DataOutputStream[sockets.length];
                for (int p = 0; p < sockets.length; p++) {
                    outs[p] = new DataOutputStream(new BufferedOutputStream(sockets[p].getOutputStream()));
                }
                byte[][] messages = new byte[sockets.length][];
                while (true) {
                    for (int p = 0; p < sockets.length; p++) {
                        int length = ins[p].readInt();
                        if (length < 0 || length > MAX_MESSAGE_BYTES) {
                            throw new IOException("a task sent a message of " + length + " bytes");
                        }
                        messages[p] = ins[p].readNBytes(length);
                        if (messages[p].length != length) {
                            throw new IOException("a task's message ended early");
                        }
                    }
                    for (DataOutputStream out : outs) {
                        out.writeInt(messages.length);
                        for (byte[] m : messages) {
                            out.writeInt(m.length);
                            out.write(m);
                        }
                        out.flush();
                    }
                }
            } catch (IOException endOfSegmentOrFailure) {
                for (Socket s : sockets) {
                    try {
                        s.close();
                    } catch (IOException ignored) {
                        // closing anyway
                    }
                }
            }
        }
    }
}
