package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.config.MetaTrainSettings.Execution;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real barrier-mode training on {@code local[2]} while a peer on loopback attacks the driver's
 * relay: it must finish bit-identical to the undisturbed run, with the driver's threads, file
 * descriptors and heap bounded. Every attack loop is bounded in count and in time.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class BarrierExchangeAttackTest {
    private static final RunConfig CFG = ShortSineRun.config("meta-train.tasks-per-spark-task=4",
            "meta-train.iterations=10", "meta-train.iterations-per-job=2");
    private static final long ATTACK_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static JavaSparkContext spark;
    private static TrainingState undisturbed;

    @BeforeAll
    static void start() {
        spark = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "BarrierExchangeAttackTest"));
        undisturbed = train(new MetaTrainer(spark, CFG.experiment(), CFG.backend(), CFG.seed(), barrier()));
    }

    @AfterAll
    static void stop() {
        spark.stop();
    }

    private static io.ml3spark.driver.config.MetaTrainSettings barrier() {
        return CFG.metaTrain().withExecution(Execution.BARRIER);
    }

    private static TrainingState train(MetaTrainer trainer) {
        Experiment exp = CFG.experiment();
        return trainer.train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, CFG.seed())),
                (it, g, applied, s) -> { }, state -> { });
    }

    /** What one attack does once the relay is up, until {@code trainingOver} says stop. */
    private interface Attack {
        void run(MetaTrainer trainer, ExchangeRelay relay, BooleanSupplier trainingOver) throws Exception;
    }

    /** Trains while {@code attack} runs beside it, and checks the result is the undisturbed run's. */
    private static void trainUnder(Attack attack) throws Exception {
        MetaTrainer trainer = new MetaTrainer(spark, CFG.experiment(), CFG.backend(), CFG.seed(), barrier());
        AtomicBoolean over = new AtomicBoolean();
        Exception[] failed = new Exception[1];
        Thread attacker = new Thread(() -> {
            long deadline = System.nanoTime() + ATTACK_NANOS;
            try {
                ExchangeRelay relay;
                while ((relay = trainer.startedRelay()) == null && !over.get() && System.nanoTime() < deadline) {
                    Thread.sleep(1);
                }
                if (relay != null) {
                    attack.run(trainer, relay, () -> over.get() || System.nanoTime() > deadline);
                }
            } catch (Exception e) {
                failed[0] = e;
            }
        }, "attacker");
        attacker.start();
        TrainingState end;
        try {
            end = train(trainer);
        } finally {
            over.set(true);
            attacker.join(TimeUnit.SECONDS.toMillis(30));
        }
        if (failed[0] != null) {
            throw failed[0];
        }
        assertEquals(undisturbed.iteration(), end.iteration());
        assertArrayEquals(undisturbed.phi(), end.phi(), 0.0, "phi");
        assertArrayEquals(undisturbed.adam().m(), end.adam().m(), 0.0, "Adam's first moment");
        assertArrayEquals(undisturbed.adam().v(), end.adam().v(), 0.0, "Adam's second moment");
    }

    private static Socket connect(ExchangeRelay relay) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", Integer.parseInt(relay.address().split(":")[1])), 10_000);
        s.setSoTimeout(20_000);
        return s;
    }

    /** A hello as a task would send it, for {@code segment}, with a MAC of random bytes. */
    private static byte[] forgedHello(Random random, long segment, int partition, int tasks) {
        byte[] hello = new byte[ExchangeHello.BYTES];
        random.nextBytes(hello);
        ByteBuffer.wrap(hello).putInt(0x4D4C3358).putInt(2).putLong(segment).putInt(0).putInt(partition).putInt(tasks);
        return hello;
    }

    @Test
    void aClientClaimingATasksPlaceIsNeverAdmittedNorSentAnything() throws Exception {
        int[] attempts = new int[1];
        trainUnder((trainer, relay, over) -> {
            Random random = new Random(7);
            long received = 0;
            while (!over.getAsBoolean() && attempts[0] < 400) {
                try (Socket s = connect(relay)) {
                    InputStream in = s.getInputStream();
                    if (in.readNBytes(ExchangeHello.CHALLENGE_BYTES).length != ExchangeHello.CHALLENGE_BYTES) {
                        continue;
                    }
                    OutputStream out = s.getOutputStream();
                    out.write(forgedHello(random, 1 + attempts[0] % 8, attempts[0] % 2, 2));
                    byte[] gradient = new byte[256];
                    out.write(ByteBuffer.allocate(4).putInt(gradient.length).array());
                    out.write(gradient);
                    out.flush();
                    received += in.readAllBytes().length;
                } catch (IOException reset) {
                    // the relay closed it while we wrote: refused all the same
                }
                attempts[0]++;
            }
            assertEquals(0, received, "bytes the relay sent a client without the key, after its challenge");
        });
        assertTrue(attempts[0] > 0, "the attack never ran");
        System.out.printf("[BarrierExchangeAttackTest] hijack: %d forged hellos during the training%n", attempts[0]);
    }

    @Test
    void aFloodOfConnectionsCostsTheDriverABoundedAmount() throws Exception {
        System.gc();
        long heapBefore = usedHeap();
        long fdsBefore = openFileDescriptors();
        int[] peaks = new int[3];
        trainUnder((trainer, relay, over) -> {
            Random random = new Random(11);
            Deque<Socket> open = new ArrayDeque<>();
            for (int i = 0; i < 2000 && !over.getAsBoolean(); i++) {
                try {
                    Socket s = connect(relay);
                    byte[] hello = forgedHello(random, 1 + i % 8, 0, 1 << 16);
                    // half send a whole forged hello, half stop partway and keep the connection open
                    s.getOutputStream().write(hello, 0, i % 2 == 0 ? hello.length : 20);
                    open.add(s);
                } catch (IOException refused) {
                    // the backlog was full for a moment
                }
                while (open.size() > 200) {
                    open.remove().close();
                }
                peaks[0] = Math.max(peaks[0], relay.pendingConnections());
                peaks[1] = Math.max(peaks[1], (int) relayThreads());
                peaks[2] = Math.max(peaks[2], (int) (openFileDescriptors() - fdsBefore));
            }
            for (Socket s : open) {
                s.close();
            }
        });
        System.gc();
        long grown = usedHeap() - heapBefore;
        System.out.printf("[BarrierExchangeAttackTest] flood: peak %d unanswered connections, %d relay threads,"
                + " %d more file descriptors, heap %+d MB%n", peaks[0], peaks[1], peaks[2], grown >> 20);
        assertTrue(peaks[0] <= ExchangeRelay.MAX_PENDING, "the relay held " + peaks[0] + " unanswered connections");
        assertTrue(peaks[1] <= 2, peaks[1] + " relay threads");
        // the flood's own 200 sockets, the relay's side of at most MAX_PENDING, Spark's and the training's
        assertTrue(peaks[2] <= 200 + ExchangeRelay.MAX_PENDING + 150, peaks[2] + " more file descriptors");
        assertTrue(grown < 256L << 20, "the heap grew by " + (grown >> 20) + " MB");
    }

    @Test
    void idleConnectionsNeitherStallNorChangeTheTraining() throws Exception {
        trainUnder((trainer, relay, over) -> {
            Deque<Socket> idle = new ArrayDeque<>();
            for (int i = 0; i < 20 && !over.getAsBoolean(); i++) {
                idle.add(connect(relay));
                Thread.sleep(20);
            }
            while (!over.getAsBoolean()) {
                Thread.sleep(10);
            }
            for (Socket s : idle) {
                s.close();
            }
        });
    }

    private static long relayThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("ml3-exchange")).count();
    }

    private static long usedHeap() {
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }

    private static long openFileDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
