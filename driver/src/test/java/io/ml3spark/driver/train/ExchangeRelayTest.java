package io.ml3spark.driver.train;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The driver's relay on loopback: every task gets every task's message, in partition order, per update. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ExchangeRelayTest {

    private static List<String> texts(byte[][] messages) {
        List<String> out = new ArrayList<>();
        for (byte[] m : messages) {
            out.add(new String(m, StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Task {@code partition} of {@code tasks}: two updates, each message naming the task and the update. */
    private static CompletableFuture<List<List<String>>> task(String relay, long segment, int attempt, int partition,
                                                              int tasks) {
        return CompletableFuture.supplyAsync(() -> {
            try (ExchangeClient c = new ExchangeClient(relay, segment, attempt, partition, tasks)) {
                List<List<String>> got = new ArrayList<>();
                for (int update = 0; update < 2; update++) {
                    got.add(texts(c.exchange(("p" + partition + "u" + update).getBytes(StandardCharsets.UTF_8))));
                }
                return got;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void everyTaskGetsAllMessagesInPartitionOrder() throws Exception {
        try (ExchangeRelay relay = ExchangeRelay.start("127.0.0.1", "127.0.0.1")) {
            List<CompletableFuture<List<List<String>>>> tasks = new ArrayList<>();
            for (int p : new int[] {2, 0, 1}) {
                tasks.add(task(relay.address(), 7, 0, p, 3));
            }
            List<List<String>> expected = List.of(List.of("p0u0", "p1u0", "p2u0"), List.of("p0u1", "p1u1", "p2u1"));
            for (CompletableFuture<List<List<String>>> t : tasks) {
                assertEquals(expected, t.get(30, TimeUnit.SECONDS));
            }
        }
    }

    @Test
    void aRetriedAttemptFormsARoundOfItsOwn() throws Exception {
        try (ExchangeRelay relay = ExchangeRelay.start("127.0.0.1", "127.0.0.1")) {
            // Attempt 0 loses a task after connecting: the other's exchange fails instead of hanging.
            CompletableFuture<List<List<String>>> orphan = task(relay.address(), 1, 0, 0, 2);
            new ExchangeClient(relay.address(), 1, 0, 1, 2).close();
            assertThrows(java.util.concurrent.ExecutionException.class, () -> orphan.get(30, TimeUnit.SECONDS));
            CompletableFuture<List<List<String>>> a = task(relay.address(), 1, 1, 0, 2);
            CompletableFuture<List<List<String>>> b = task(relay.address(), 1, 1, 1, 2);
            assertEquals(List.of("p0u1", "p1u1"), a.get(30, TimeUnit.SECONDS).get(1));
            assertEquals(a.get(), b.get());
        }
    }
}
