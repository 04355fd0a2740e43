package io.ml3spark.driver.train;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The driver's relay on loopback: every task of the running segment gets every task's message,
 * in partition order, per update; a peer without the segment's key is never admitted and costs
 * the round nothing.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class ExchangeRelayTest {
    private static final int MAX = 64;
    private ExchangeRelay relay;

    @BeforeEach
    void start() throws IOException {
        relay = ExchangeRelay.start("127.0.0.1", "127.0.0.1");
    }

    @AfterEach
    void stop() throws IOException {
        relay.close();
    }

    private ExchangeRelay.Segment expect(long id, int tasks) {
        ExchangeRelay.Segment s = new ExchangeRelay.Segment(id, ExchangeSecret.fresh(), tasks, MAX);
        relay.expect(s);
        return s;
    }

    private static List<String> texts(byte[][] messages) {
        List<String> out = new ArrayList<>();
        for (byte[] m : messages) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Task {@code partition} of {@code s}: two updates, each message naming the task and the update. */
    private CompletableFuture<List<List<String>>> task(ExchangeRelay.Segment s, ExchangeSecret secret, long segment,
                                                       int attempt, int partition) {
        return CompletableFuture.supplyAsync(() -> {
            try (ExchangeClient c = new ExchangeClient(relay.address(), secret,
                    new ExchangeHello(segment, attempt, partition, s.tasks()), s.maxMessageBytes())) {
                List<List<String>> got = new ArrayList<>();
                for (int update = 0; update < 2; update++) {
                    got.add(texts(c.exchange(("p" + partition + "u" + update).getBytes(StandardCharsets.UTF_8))));
                }
                return got;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private CompletableFuture<List<List<String>>> task(ExchangeRelay.Segment s, int attempt, int partition) {
        return task(s, s.secret(), s.id(), attempt, partition);
    }

    private static final List<List<String>> TWO_TASKS = List.of(List.of("p0u0", "p1u0"), List.of("p0u1", "p1u1"));

    private void assertARoundOfTwoWorks(ExchangeRelay.Segment s, int attempt) throws Exception {
        CompletableFuture<List<List<String>>> a = task(s, attempt, 0);
        CompletableFuture<List<List<String>>> b = task(s, attempt, 1);
        assertEquals(TWO_TASKS, a.get(30, TimeUnit.SECONDS));
        assertEquals(TWO_TASKS, b.get(30, TimeUnit.SECONDS));
    }

    private Socket connect() throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(relay.address().split(":")[1])), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** Everything the relay sends on {@code s} until it closes it. */
    private static int bytesUntilClosed(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        int n = 0;
        while (in.read() >= 0) {
            n++;
        }
        return n;
    }

    @Test
    void everyTaskGetsAllMessagesInPartitionOrder() throws Exception {
        ExchangeRelay.Segment s = expect(7, 3);
        List<CompletableFuture<List<List<String>>>> tasks = new ArrayList<>();
        for (int p : new int[] {2, 0, 1}) {
            tasks.add(task(s, 0, p));
        }
        List<List<String>> expected = List.of(List.of("p0u0", "p1u0", "p2u0"), List.of("p0u1", "p1u1", "p2u1"));
        for (CompletableFuture<List<List<String>>> t : tasks) {
            assertEquals(expected, t.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void aRetriedAttemptFormsARoundOfItsOwn() throws Exception {
        ExchangeRelay.Segment s = expect(1, 2);
        // Attempt 0 loses a task after joining: the other's exchange fails instead of hanging.
        CompletableFuture<List<List<String>>> orphan = task(s, 0, 0);
        new ExchangeClient(relay.address(), s.secret(), new ExchangeHello(1, 0, 1, 2), MAX).close();
        assertThrows(ExecutionException.class, () -> orphan.get(30, TimeUnit.SECONDS));
        assertARoundOfTwoWorks(s, 1);
    }

    @Test
    void aNewerAttemptEndsTheOldRoundsWaitingTasks() throws Exception {
        ExchangeRelay.Segment s = expect(2, 2);
        CompletableFuture<List<List<String>>> stale = task(s, 0, 0);
        Thread.sleep(300);
        assertARoundOfTwoWorks(s, 1);
        assertThrows(ExecutionException.class, () -> stale.get(30, TimeUnit.SECONDS));
    }

    @Test
    void endingTheSegmentFailsItsTasksInsteadOfLeavingThemWaiting() throws Exception {
        ExchangeRelay.Segment s = expect(3, 2);
        CompletableFuture<List<List<String>>> waiting = task(s, 0, 0);
        Thread.sleep(300);
        relay.endSegment(3);
        assertThrows(ExecutionException.class, () -> waiting.get(30, TimeUnit.SECONDS));
    }

    @Test
    void aPeerWithoutTheKeyIsNeverAdmittedNorSentAnything() throws Exception {
        ExchangeRelay.Segment s = expect(5, 2);
        // It claims partition 0 of the running segment first, with a key of its own.
        CompletableFuture<List<List<String>>> hijacker = task(s, ExchangeSecret.fresh(), 5, 0, 0);
        assertThrows(ExecutionException.class, () -> hijacker.get(30, TimeUnit.SECONDS));
        assertARoundOfTwoWorks(s, 0);
        assertEquals(1, relay.roundsStarted());
    }

    @Test
    void theKeyOfTheRunningSegmentAdmitsOnlyThatSegment() throws Exception {
        ExchangeRelay.Segment s = expect(8, 2);
        CompletableFuture<List<List<String>>> otherSegment = task(s, s.secret(), 9, 0, 0);
        assertThrows(ExecutionException.class, () -> otherSegment.get(30, TimeUnit.SECONDS));
        relay.endSegment(8);
        CompletableFuture<List<List<String>>> ended = task(s, 0, 0);
        assertThrows(ExecutionException.class, () -> ended.get(30, TimeUnit.SECONDS));
        assertEquals(0, relay.roundsStarted());
    }

    @Test
    void aMessageLongerThanTheSegmentsLargestFailsTheRound() throws Exception {
        ExchangeRelay.Segment s = expect(4, 2);
        CompletableFuture<Void> big = CompletableFuture.runAsync(() -> {
            try (ExchangeClient c = new ExchangeClient(relay.address(), s.secret(), new ExchangeHello(4, 0, 0, 2),
                    MAX)) {
                c.exchange(new byte[MAX + 1]);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        CompletableFuture<List<List<String>>> other = task(s, 0, 1);
        assertThrows(ExecutionException.class, () -> big.get(30, TimeUnit.SECONDS));
        assertThrows(ExecutionException.class, () -> other.get(30, TimeUnit.SECONDS));
    }

    @Test
    void idleConnectionsNeitherDelayARoundNorStayOpen() throws Exception {
        List<Socket> idle = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            idle.add(connect());
        }
        ExchangeRelay.Segment s = expect(6, 2);
        long t0 = System.nanoTime();
        assertARoundOfTwoWorks(s, 0);
        long roundMs = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(roundMs < ExchangeRelay.HELLO_TIMEOUT_MS, "the round waited " + roundMs + " ms behind idle peers");
        for (Socket i : idle) {
            try (i) {
                assertEquals(ExchangeHello.CHALLENGE_BYTES, bytesUntilClosed(i), "only the challenge, then closed");
            }
        }
    }

    @Test
    void aFloodOfConnectionsIsBoundedAndTheRoundStillRuns() throws Exception {
        ExchangeRelay.Segment s = expect(10, 2);
        Random random = new Random(1);
        int peak = 0;
        List<Socket> open = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            Socket f = connect();
            byte[] hello = new byte[ExchangeHello.BYTES];
            random.nextBytes(hello);
            java.nio.ByteBuffer.wrap(hello).putInt(0x4D4C3358).putInt(2).putLong(10 + i).putInt(0).putInt(0)
                    .putInt(1 << 16);
            if (i % 2 == 0) {
                f.getOutputStream().write(hello);
            }
            open.add(f);
            if (open.size() > 200) {
                open.remove(0).close();
            }
            peak = Math.max(peak, relay.pendingConnections());
        }
        assertTrue(peak <= ExchangeRelay.MAX_PENDING, "held " + peak + " unanswered connections");
        long relayThreads = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("ml3-exchange")).count();
        assertTrue(relayThreads <= 2, relayThreads + " relay threads");
        assertARoundOfTwoWorks(s, 0);
        for (Socket f : open) {
            f.close();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aSealedMessageOpensOnlyUnalteredAsItsSendersMessageOfItsUpdateAndAttempt() throws Exception {
        ExchangeSecret secret = ExchangeSecret.fresh();
        MessageSeal attempt0 = new MessageSeal(secret.messageKey(0));
        byte[] first = attempt0.seal(1, 0, bytes("first"));
        byte[] second = attempt0.seal(1, 1, bytes("second"));
        MessageSeal receiver = new MessageSeal(secret.messageKey(0));
        assertEquals("first", text(receiver.open(1, 0, first)));
        assertEquals("second", text(receiver.open(1, 1, second)));

        IOException replayed = assertThrows(IOException.class, () -> receiver.open(1, 1, first));
        assertEquals("the exchange message of task 1 failed its authentication", replayed.getMessage());
        assertThrows(IOException.class, () -> receiver.open(0, 0, first), "attributed to another task");
        byte[] altered = first.clone();
        altered[2] ^= 1;
        assertThrows(IOException.class, () -> receiver.open(1, 0, altered), "altered");
        assertThrows(IOException.class, () -> new MessageSeal(secret.messageKey(1)).open(1, 0, first),
                "from another stage attempt");
        assertThrows(IOException.class, () -> new MessageSeal(ExchangeSecret.fresh().messageKey(0)).open(1, 0, first),
                "under another segment's key");
        assertEquals(5 + MessageSeal.TAG_BYTES, first.length);
    }
}
