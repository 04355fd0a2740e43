package io.ml3spark.driver.run;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * When a lock held by a process on another host is stale: after 60 s without a heartbeat, not
 * before; and how a patient acquirer (a retried job) waits for a lock to be released or go stale.
 */
class RunLockTest {
    @TempDir
    Path tmp;

    /** Plants the lock of an ml3 train on another host, its last heartbeat {@code ageSeconds} ago. */
    static void foreignLock(Path dir, long ageSeconds) throws IOException {
        Path lock = dir.resolve(RunLock.FILE);
        Files.writeString(lock, "{\"host\":\"gpu-node-7\",\"pid\":4242,\"purpose\":\"train\",\"since\":\"2026-12-01T10:00:00Z\","
                + "\"token\":\"t\"}");
        Files.setLastModifiedTime(lock, FileTime.fromMillis(System.currentTimeMillis() - ageSeconds * 1000));
    }

    @Test
    void aLockFromAnotherHostIsStaleOnlyAfterItsHeartbeatStops() throws IOException {
        RunDirectory dir = RunDirectory.open(tmp.toString(), new Configuration());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);

        foreignLock(tmp, 20);
        String refused = assertThrows(RunDirectoryError.class, () -> RunLock.acquire(dir, "train", out)).getMessage();
        assertTrue(refused.contains(" is locked by ml3 train (process 4242 on gpu-node-7, since 2026-12-01T10:00:00Z)"),
                refused);

        foreignLock(tmp, RunLock.STALE_AFTER_SECONDS + 30);
        try (RunLock lock = RunLock.acquire(dir, "train", out)) {
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("[lock] taking over the stale lock of ml3 train (process 4242 on gpu-node-7")
                    && said.contains("its last heartbeat was 9"), said);
            assertTrue(Files.readString(tmp.resolve(RunLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
        assertFalse(Files.exists(tmp.resolve(RunLock.FILE)));
    }

    @Test
    void aPatientAcquirerTakesOverALockThatGoesStaleWhileItWaits() throws IOException {
        RunDirectory dir = RunDirectory.open(tmp.toString(), new Configuration());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        foreignLock(tmp, RunLock.STALE_AFTER_SECONDS - 3);
        try (RunLock lock = RunLock.acquire(dir, "train", out, Duration.ofSeconds(20))) {
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains(" is locked by ml3 train (process 4242 on gpu-node-7, since 2026-12-01T10:00:00Z);"
                    + " waiting up to 20 s for it to be released or go stale"), said);
            assertTrue(said.contains("[lock] taking over the stale lock of ml3 train (process 4242"), said);
            assertTrue(Files.readString(tmp.resolve(RunLock.FILE)).contains("\"pid\":" + ProcessHandle.current().pid()));
        }
    }

    @Test
    void aPatientAcquirerTakesALockItsHolderReleasesAndGivesUpOnOneThatStaysFresh() throws Exception {
        RunDirectory dir = RunDirectory.open(tmp.toString(), new Configuration());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(log, true, StandardCharsets.UTF_8);
        foreignLock(tmp, 0);
        Thread releaser = new Thread(() -> {
            try {
                Thread.sleep(1500);
                Files.delete(tmp.resolve(RunLock.FILE));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        releaser.start();
        try (RunLock lock = RunLock.acquire(dir, "train", out, Duration.ofSeconds(30))) {
            releaser.join();
            String said = log.toString(StandardCharsets.UTF_8);
            assertTrue(said.contains("waiting up to 30 s") && !said.contains("taking over"), said);
        }

        foreignLock(tmp, 0);
        long start = System.nanoTime();
        String refused = assertThrows(RunDirectoryError.class,
                () -> RunLock.acquire(dir, "train", out, Duration.ofSeconds(2))).getMessage();
        assertTrue(refused.contains(" is locked by ml3 train (process 4242 on gpu-node-7"), refused);
        assertTrue(System.nanoTime() - start >= TimeUnit.SECONDS.toNanos(2), "it waited its patience out before failing");
        assertTrue(Files.exists(tmp.resolve(RunLock.FILE)), "a fresh lock is left to its holder");
    }
}
