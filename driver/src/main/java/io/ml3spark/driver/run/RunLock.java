package io.ml3spark.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The lock a process holds on a directory while it writes it: a hidden file
 * {@value #FILE} created atomically (O_EXCL on a local disk, the name node's create on HDFS)
 * naming its holder's host, process id and start. The holder touches it every
 * {@value #HEARTBEAT_SECONDS} s. A lock is stale, and is taken over with a line saying so,
 * when its process is gone (same host, process id not running) or when its last heartbeat
 * is more than {@value #STALE_AFTER_SECONDS} s old (a holder on another host that died).
 */
public final class RunLock implements AutoCloseable {
    public static final String FILE = ".ml3-lock";
    static final int HEARTBEAT_SECONDS = 10;
    static final int STALE_AFTER_SECONDS = 60;
    /** How long a retried job waits for its predecessor's lock: until a dead holder's lock is stale, and a heartbeat more. */
    public static final Duration RETRY_PATIENCE = Duration.ofSeconds(STALE_AFTER_SECONDS + HEARTBEAT_SECONDS);
    static final long POLL_MILLIS = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final RunDirectory dir;
    private final String token;
    private final ScheduledExecutorService heartbeat;

    private RunLock(RunDirectory dir, String token) {
        this.dir = dir;
        this.token = token;
        this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ml3-lock-heartbeat");
            t.setDaemon(true);
            return t;
        });
        heartbeat.scheduleAtFixedRate(this::beat, HEARTBEAT_SECONDS, HEARTBEAT_SECONDS, TimeUnit.SECONDS);
    }

    /** Locks {@code dir} for {@code purpose} ("train", "sweep" ...), or fails with one line naming the holder. */
    public static RunLock acquire(RunDirectory dir, String purpose, PrintStream log) {
        return acquire(dir, purpose, log, Duration.ZERO);
    }

    /**
     * Locks {@code dir} as {@link #acquire(RunDirectory, String, PrintStream)} does, but waits up to
     * {@code patience} for a held lock to be released or to go stale before failing. A retried job
     * ({@link #RETRY_PATIENCE}) needs that: the attempt before it may have died a moment ago
     * without releasing its lock (a lost node, a killed container).
     */
    public static RunLock acquire(RunDirectory dir, String purpose, PrintStream log, Duration patience) {
        String token = UUID.randomUUID().toString();
        ObjectNode holder = JSON.createObjectNode();
        holder.put("host", hostName());
        holder.put("pid", ProcessHandle.current().pid());
        holder.put("purpose", purpose);
        holder.put("since", Instant.now().toString());
        holder.put("token", token);
        byte[] content = holder.toString().getBytes(StandardCharsets.UTF_8);
        long deadline = System.nanoTime() + patience.toNanos();
        boolean waiting = false;
        int contended = 0; // stale locks taken over, and locks released between our create and our read
        while (true) {
            if (dir.createExclusively(FILE, content)) {
                return new RunLock(dir, token);
            }
            boolean released = !dir.exists(FILE);
            Holder other = released ? null : Holder.read(dir);
            String stale = released ? null : other.staleness(System.currentTimeMillis());
            if (released || stale != null) {
                if (++contended > 2) {
                    throw new RunDirectoryError(dir.uri() + " is being locked by another process at the same time; try again");
                }
                if (stale != null) {
                    log.printf("[lock] taking over the stale lock of %s: %s%n", other.describe(), stale);
                    dir.delete(FILE);
                }
                continue;
            }
            long leftMillis = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (leftMillis <= 0) {
                throw new RunDirectoryError(dir.uri() + " is locked by " + other.describe() + " (lock file "
                        + dir.uri() + "/" + FILE + "); a lock is stale once its process has ended, or "
                        + STALE_AFTER_SECONDS + " s after its last heartbeat");
            }
            if (!waiting) {
                log.printf("[lock] %s is locked by %s; waiting up to %d s for it to be released or go stale%n",
                        dir.uri(), other.describe(), patience.toSeconds());
                waiting = true;
            }
            sleep(Math.min(POLL_MILLIS, leftMillis));
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunDirectoryError("interrupted while waiting for a run directory's lock");
        }
    }

    private void beat() {
        try {
            dir.touch(FILE);
        } catch (RuntimeException e) {
            // A missed heartbeat only makes the lock look older; the next one retries.
        }
    }

    /** Stops the heartbeat and removes the lock file, if it is still this lock's. */
    @Override
    public void close() {
        heartbeat.shutdownNow();
        try {
            if (dir.exists(FILE) && token.equals(Holder.read(dir).token)) {
                dir.delete(FILE);
            }
        } catch (RuntimeException e) {
            // The directory may be gone (a failed start removes it), which releases the lock too.
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown-host";
        }
    }

    /** Who holds a lock, from its file. */
    private record Holder(String host, long pid, String purpose, String since, String token, long lastBeat) {
        static Holder read(RunDirectory dir) {
            long lastBeat = dir.modificationTime(FILE);
            JsonNode n;
            try {
                n = JSON.readTree(dir.read(FILE));
            } catch (IOException | RuntimeException e) {
                n = JSON.createObjectNode();
            }
            return new Holder(n.path("host").asText("?"), n.path("pid").asLong(-1), n.path("purpose").asText("?"),
                    n.path("since").asText("?"), n.path("token").asText(""), lastBeat);
        }

        /** Why this lock is stale at {@code now}, or null while its holder may still be writing. */
        String staleness(long now) {
            long age = (now - lastBeat) / 1000;
            if (host.equals(hostName()) && pid > 0 && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
                return "process " + pid + " is not running";
            }
            if (age > STALE_AFTER_SECONDS) {
                return "its last heartbeat was " + age + " s ago";
            }
            return null;
        }

        String describe() {
            return "ml3 " + purpose + " (process " + pid + " on " + host + ", since " + since + ")";
        }
    }
}
