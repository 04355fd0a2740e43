package io.ml3spark.driver.run;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replace stopped at each of its steps, on a file system that cannot rename over a target:
 * afterwards the file is whole, old or new, and recovery leaves nothing behind.
 */
class AtomicReplaceTest {
    @TempDir
    Path tmp;

    @AfterEach
    void stopNoMore() {
        StoppingFileSystem.neverStop();
    }

    private static Configuration stopping() {
        Configuration c = new Configuration();
        c.set("fs." + StoppingFileSystem.SCHEME + ".impl", StoppingFileSystem.class.getName());
        c.setBoolean("fs." + StoppingFileSystem.SCHEME + ".impl.disable.cache", true);
        return c;
    }

    private RunDirectory onStoppingFs(Path dir) {
        return RunDirectory.open(StoppingFileSystem.SCHEME + "://" + dir.toAbsolutePath(), stopping());
    }

    private static String text(RunDirectory d, String name) {
        return new String(d.read(name), StandardCharsets.UTF_8);
    }

    /** Hidden files other than the list of what ml3-spark wrote: what a replace left behind. */
    private static List<String> hidden(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".") && !n.equals(RunDirectory.WRITTEN))
                    .toList();
        }
    }

    @Test
    void aReplaceStoppedAtAnyStepLeavesOneWholeVersionThatRecoveryRestores() throws Exception {
        for (int stopAfter = 0; stopAfter < 8; stopAfter++) {
            Path dir = Files.createDirectory(tmp.resolve("stop-" + stopAfter));
            RunDirectory d = onStoppingFs(dir);
            d.write("checkpoints/state.bin", "old version");
            d.write("run.json", "old version");
            StoppingFileSystem.stopAfter(stopAfter);
            boolean finished;
            try {
                d.write("run.json", "new version, longer than the old one");
                finished = true;
            } catch (RunDirectoryError stopped) {
                finished = false;
            }
            StoppingFileSystem.neverStop();
            RunDirectory after = onStoppingFs(dir);
            after.recoverInterruptedReplaces(System.out);
            // steps: 1 the new version written whole aside, 2 the old one moved aside, 3 the new one into place, 4 the old one deleted
            assertEquals(stopAfter >= 2 ? "new version, longer than the old one" : "old version", text(after, "run.json"),
                    "stopped after " + stopAfter + " steps");
            assertEquals(stopAfter >= 4, finished);
            assertEquals("old version", text(after, "checkpoints/state.bin"));
            assertEquals(List.of(), hidden(dir), "left behind after stopping after " + stopAfter + " steps");
        }
    }

    @Test
    void aTemporaryFileWithoutItsTargetIsRefusedWithAdviceAndLeftAlone() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("legacy"));
        Files.writeString(dir.resolve("config.conf"), "seed = 1\n");
        Files.writeString(dir.resolve(".run.json.tmp"), "{\"whole\": true}");
        RunDirectory d = RunDirectory.openExisting(dir.toString(), new Configuration());
        RunDirectoryError e = assertThrows(RunDirectoryError.class, () -> d.recoverInterruptedReplaces(System.out));
        assertTrue(e.getMessage().contains("run.json is missing and ") && e.getMessage().contains(".run.json.tmp holds a "
                + "write that was stopped before it finished; if that file is whole, rename it to run.json"), e.getMessage());
        assertEquals("{\"whole\": true}", Files.readString(dir.resolve(".run.json.tmp")));
    }

    @Test
    void aCheckpointWhoseFirstWriteWasStoppedIsRemovedWithANoteButNoOtherFileIs() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("stopped-checkpoint"));
        Files.createDirectories(dir.resolve("checkpoints"));
        Files.writeString(dir.resolve("checkpoints/iter-000004.safetensors"), "whole");
        Files.writeString(dir.resolve("checkpoints/.iter-000006.safetensors.tmp"), "half");
        RunDirectory d = RunDirectory.openExisting(dir.toString(), new Configuration());
        java.io.ByteArrayOutputStream notes = new java.io.ByteArrayOutputStream();
        d.recoverInterruptedReplaces(new java.io.PrintStream(notes, true, java.nio.charset.StandardCharsets.UTF_8));
        assertEquals("[train] removed checkpoints/.iter-000006.safetensors.tmp: the write of iter-000006.safetensors was "
                + "stopped before it finished; the run computes it again\n", notes.toString(java.nio.charset.StandardCharsets.UTF_8));
        assertEquals(List.of("iter-000004.safetensors"), Files.list(dir.resolve("checkpoints"))
                .map(p -> p.getFileName().toString()).toList());

        Files.createDirectories(dir.resolve("dynamics"));
        Files.writeString(dir.resolve("dynamics/.model.safetensors.tmp"), "whole or half");
        RunDirectoryError e = assertThrows(RunDirectoryError.class, () -> d.recoverInterruptedReplaces(System.out));
        assertTrue(e.getMessage().contains("model.safetensors is missing and "), e.getMessage());
        assertEquals("whole or half", Files.readString(dir.resolve("dynamics/.model.safetensors.tmp")));
    }

    @Test
    void aLocalReplaceIsOneRenameOverTheTarget() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("local"));
        RunDirectory d = RunDirectory.open(dir.toString(), new Configuration());
        d.write("metrics.csv", "a\n");
        d.write("metrics.csv", "a\nb\n");
        assertEquals("a\nb\n", Files.readString(dir.resolve("metrics.csv")));
        assertEquals(List.of(), hidden(dir));
    }
}
