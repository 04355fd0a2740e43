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
            after.recoverInterruptedReplaces();
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
        RunDirectoryError e = assertThrows(RunDirectoryError.class, d::recoverInterruptedReplaces);
        assertTrue(e.getMessage().contains("run.json is missing and ") && e.getMessage().contains(".run.json.tmp holds a "
                + "write that was stopped before it finished; if that file is whole, rename it to run.json"), e.getMessage());
        assertEquals("{\"whole\": true}", Files.readString(dir.resolve(".run.json.tmp")));
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
