package io.ml3spark.driver.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The driver's relay for the meta-gradients of a barrier segment's tasks. Spark's own
 * {@code allGather} polls its reply once a second, so an exchange through it costs up to a
 * second per update; here each task keeps one connection to the driver for the whole segment,
 * sends its message per update, and gets back every task's message in partition order.
 *
 * <p>Only the segment the driver is running takes part: the relay sends each connection a fresh
 * challenge, and admits it only if it answers with an {@link ExchangeHello} signed with that
 * segment's {@link ExchangeSecret}. Tasks seal their messages ({@link MessageSeal}); the relay
 * forwards them as they are, and every task opens every other task's, so any altered or foreign
 * message fails the round.
 * Every resource is bounded whatever peers do: one selector thread holds at most
 * {@link #MAX_PENDING} unanswered connections (the oldest goes first) for at most
 * {@link #HELLO_TIMEOUT_MS} each, there is one round (the segment's newest stage attempt; a newer
 * attempt replaces it) with one thread, and a message is read only up to the segment's known
 * largest meta-gradient. A round ends, closing all its connections so that its tasks fail
 * rather than wait, when one of them fails, when a newer attempt starts, or when the driver ends
 * the segment.
 */
final class ExchangeRelay implements Closeable {
    static final int MAX_PENDING = 64;
    static final int HELLO_TIMEOUT_MS = 5_000;

    /** The segment the driver is running, as the relay admits its tasks. */
    record Segment(long id, ExchangeSecret secret, int tasks, int maxMessageBytes) implements java.io.Serializable {
    }

    private record Pending(byte[] challenge, ByteBuffer hello, long deadline) {
    }

    private final ServerSocketChannel server;
    private final Selector selector;
    private final String advertised;
    private final Thread acceptor;
    /** Connections that have not answered their challenge yet, oldest first; the acceptor thread's own. */
    private final Map<SocketChannel, Pending> pending = new LinkedHashMap<>();
    private volatile int pendingCount;
    private volatile int roundsStarted;
    private final Object lock = new Object();
    private Segment segment;
    private Round round;
    private volatile boolean closed;

    private ExchangeRelay(ServerSocketChannel server, String advertised) throws IOException {
        this.server = server;
        this.advertised = advertised;
        this.selector = Selector.open();
        server.configureBlocking(false);
        server.register(selector, SelectionKey.OP_ACCEPT);
        this.acceptor = new Thread(this::serve, "ml3-exchange-relay");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A relay on a free port of {@code bindHost}, which tasks reach at {@code advertisedHost} (as Spark's own driver ports). */
    static ExchangeRelay start(String bindHost, String advertisedHost) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open();
        try {
            server.bind(new InetSocketAddress(bindHost, 0), MAX_PENDING);
            return new ExchangeRelay(server, advertisedHost);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** {@code host:port} for the tasks. */
    String address() {
        return advertised + ":" + server.socket().getLocalPort();
    }

    /** Admits the tasks of {@code next} from now on, and no others: any earlier segment's round ends. */
    void expect(Segment next) {
        synchronized (lock) {
            endRound();
            segment = next;
        }
    }

    /** Admits no one until the next {@link #expect}, and ends the round of segment {@code id}. */
    void endSegment(long id) {
        synchronized (lock) {
            if (segment != null && segment.id() == id) {
                endRound();
                segment = null;
            }
        }
    }

    /** Connections that have not answered their challenge yet. */
    int pendingConnections() {
        return pendingCount;
    }

    /** Rounds in which every task of an attempt had joined. */
    int roundsStarted() {
        return roundsStarted;
    }

    private void serve() {
        while (!closed) {
            try {
                selector.select(200);
                List<Joining> joining = new ArrayList<>();
                Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                while (keys.hasNext()) {
                    SelectionKey key = keys.next();
                    keys.remove();
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.isAcceptable()) {
                        acceptWaiting();
                    } else if (key.isReadable()) {
                        Joining j = readHello(key);
                        if (j != null) {
                            joining.add(j);
                        }
                    }
                }
                dropExpired();
                if (!joining.isEmpty()) {
                    selector.selectNow(); // deregisters the cancelled keys, so the channels may block again
                    for (Joining j : joining) {
                        join(j);
                    }
                }
                pendingCount = pending.size();
            } catch (IOException | RuntimeException e) {
                if (!closed) {
                    System.err.println("ml3 exchange relay: " + e);
                }
            }
        }
    }

    private void acceptWaiting() throws IOException {
        SocketChannel ch;
        while ((ch = server.accept()) != null) {
            if (pending.size() >= MAX_PENDING) {
                Iterator<SocketChannel> oldest = pending.keySet().iterator();
                quietlyClose(oldest.next());
                oldest.remove();
            }
            try {
                ch.configureBlocking(false);
                byte[] challenge = ExchangeSecret.randomBytes(ExchangeHello.CHALLENGE_BYTES);
                if (ch.write(ByteBuffer.wrap(challenge)) != challenge.length) {
                    throw new IOException("the challenge did not fit a fresh connection's buffer");
                }
                ch.register(selector, SelectionKey.OP_READ);
                pending.put(ch, new Pending(challenge, ByteBuffer.allocate(ExchangeHello.BYTES),
                        System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(HELLO_TIMEOUT_MS)));
            } catch (IOException e) {
                quietlyClose(ch);
            }
        }
    }

    /** A connection whose hello is complete and signed for the segment now running; null if it is not, or not yet. */
    private Joining readHello(SelectionKey key) {
        SocketChannel ch = (SocketChannel) key.channel();
        Pending p = pending.get(ch);
        try {
            if (p == null || ch.read(p.hello()) < 0) {
                throw new IOException("closed before its hello");
            }
            if (p.hello().hasRemaining()) {
                return null;
            }
            pending.remove(ch);
            key.cancel();
            Segment s;
            synchronized (lock) {
                s = segment;
            }
            ExchangeHello hello = s == null ? null : ExchangeHello.verified(p.hello().array(), p.challenge(), s.secret());
            if (hello == null || hello.segment() != s.id() || hello.tasks() != s.tasks() || hello.partition() < 0
                    || hello.partition() >= s.tasks() || hello.attempt() < 0) {
                throw new IOException("not a task of the running segment");
            }
            return new Joining(ch, hello, s);
        } catch (IOException e) {
            pending.remove(ch);
            quietlyClose(ch);
            return null;
        }
    }

    private record Joining(SocketChannel channel, ExchangeHello hello, Segment segment) {
    }

    private void join(Joining j) {
        TaskConnection connection;
        try {
            j.channel().configureBlocking(true);
            connection = new TaskConnection(j.channel().socket());
        } catch (IOException e) {
            quietlyClose(j.channel());
            return;
        }
        Round ready = null;
        synchronized (lock) {
            int attempt = j.hello().attempt();
            if (segment != j.segment() || (round != null && attempt < round.attempt)) {
                quietlyClose(connection);
                return;
            }
            if (round == null || attempt > round.attempt) {
                endRound();
                round = new Round(attempt, j.segment());
            }
            if (round.add(j.hello().partition(), connection)) {
                ready = round;
            }
        }
        if (ready != null) {
            roundsStarted++;
            Thread t = new Thread(ready::relay, "ml3-exchange-round");
            t.setDaemon(true);
            t.start();
        }
    }

    private void dropExpired() {
        long now = System.nanoTime();
        Iterator<Map.Entry<SocketChannel, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<SocketChannel, Pending> e = it.next();
            if (now - e.getValue().deadline() > 0) {
                quietlyClose(e.getKey());
                it.remove();
            }
        }
    }

    private void endRound() {
        if (round != null) {
            round.closeAll();
            round = null;
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        synchronized (lock) {
            endRound();
            segment = null;
        }
        selector.wakeup();
        try {
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (SocketChannel ch : pending.keySet()) {
            quietlyClose(ch);
        }
        selector.close();
        server.close();
    }

    private static void quietlyClose(Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** An admitted task's connection: length-prefixed frames each way. */
    private static final class TaskConnection implements Closeable {
        private final Socket socket;
        private final DataInputStream in;
        private final DataOutputStream out;

        TaskConnection(Socket socket) throws IOException {
            this.socket = socket;
            socket.setTcpNoDelay(true);
            this.in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            this.out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /** One stage attempt's tasks: once all have joined, relays their updates until one fails or the round is ended. */
    private static final class Round {
        private final int attempt;
        private final Segment segment;
        private final TaskConnection[] connections;
        private int joined;

        Round(int attempt, Segment segment) {
            this.attempt = attempt;
            this.segment = segment;
            this.connections = new TaskConnection[segment.tasks()];
        }

        /** Adds a task's connection (a second one for the same task is closed); true when every task has joined. */
        boolean add(int partition, TaskConnection c) {
            if (connections[partition] != null) {
                quietlyClose(c);
                return false;
            }
            connections[partition] = c;
            return ++joined == connections.length;
        }

        void relay() {
            byte[][] sealed = new byte[connections.length][];
            try {
                while (true) {
                    for (int p = 0; p < connections.length; p++) {
                        sealed[p] = readFrame(connections[p].in, segment.maxMessageBytes() + MessageSeal.TAG_BYTES);
                    }
                    for (TaskConnection c : connections) {
                        c.out.writeInt(sealed.length);
                        for (byte[] m : sealed) {
                            c.out.writeInt(m.length);
                            c.out.write(m);
                        }
                        c.out.flush();
                    }
                }
            } catch (IOException endOfSegmentOrFailure) {
                closeAll();
            }
        }

        synchronized void closeAll() {
            for (TaskConnection c : connections) {
                if (c != null) {
                    quietlyClose(c);
                }
            }
        }
    }

    /** A length-prefixed frame of at most {@code max} bytes: nothing longer is allocated. */
    static byte[] readFrame(DataInputStream in, int max) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > max) {
            throw new IOException("an exchange message of " + length + " bytes, expected at most " + max);
        }
        byte[] b = in.readNBytes(length);
        if (b.length != length) {
            throw new IOException("an exchange message ended early");
        }
        return b;
    }
}
