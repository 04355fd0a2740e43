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

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** When a lock held by a process on another host is stale: after 60 s without a heartbeat, not before. */
class RunLockTest {
    @TempDir
    Path tmp;

    private void foreignLock(Path dir, long ageSeconds) throws IOException {
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
}
