package io.ml3spark.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code ./ml3} launcher as a user runs it: a computing command's failure is one line on stderr, the JVM's notice dropped. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class LauncherIT {

    private static List<String> stderrOf(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(new File("../ml3").getCanonicalPath()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES));
        assertEquals(2, p.exitValue(), err);
        return err.lines().toList();
    }

    @Test
    void aComputingCommandsUserErrorIsOneLineOnStderr() throws Exception {
        for (String computing : List.of("train", "evaluate", "sweep", "bench", "bench-train", "bench-loss", "train-model")) {
            List<String> lines = stderrOf(computing, "--no-such-option");
            assertEquals(1, lines.size(), computing + ": " + lines);
            assertTrue(lines.get(0).startsWith("error: "), computing + ": " + lines);
        }
        // a failure after the command has started, not only one of its options
        List<String> missing = stderrOf("train", "--config", "does-not-exist.conf", "--out", "never-written");
        assertEquals(List.of("error: config file not found: does-not-exist.conf"), missing);
        assertTrue(!new File("never-written").exists());
    }
}
