package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Faults of the driver and its output: a driver JVM killed (SIGKILL) mid-run is resumed to
 * the fault-free phi bit for bit; an unusable output path fails cleanly.
 */
class DriverKillTest {
    static final String ITERATIONS = "meta-train.iterations=60";

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void killedDriverResumesToTheFaultFreePhi() throws Exception {
        Path whole = tmp.resolve("whole");
        assertEquals(0, Ml3.execute(new PrintWriter(err, true),
                ResumeTest.args(ResumeTest.SETTINGS, "--out", whole.toString(), "--set", ITERATIONS)), err.toString());

        Path killed = tmp.resolve("killed");
        Process driver = DriverProcess.start(tmp.resolve("driver.log"), ResumeTest.args(ResumeTest.SETTINGS, "--out",
                killed.toString(), "--set", ITERATIONS, "--set", "meta-train.checkpoint-every=3"));
        Path checkpoint = killed.resolve("checkpoints/iter-000009.safetensors");
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        while (!Files.exists(checkpoint) && driver.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(driver.isAlive(), "the driver must still be running when killed; log:\n"
                + Files.readString(tmp.resolve("driver.log")));
        driver.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        assertTrue(!Files.exists(killed.resolve("learned-loss.safetensors")), "killed before the end");

        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--resume", killed.toString(), "--master",
                "local[2]", "--skip-evaluation"), err.toString());
        assertArrayEquals(ResumeTest.phi(whole), ResumeTest.phi(killed), "phi after kill + resume");
        assertEquals(61, Files.readAllLines(killed.resolve("metrics.csv")).size());
    }

    @Test
    void unusableOutputPathIsOneErrorLineAndWritesNothing() throws Exception {
        File blocker = tmp.resolve("a-file").toFile();
        Files.writeString(blocker.toPath(), "not a directory");
        String out = blocker + "/run";
        int code = Ml3.execute(new PrintWriter(err, true), ResumeTest.args(ResumeTest.SETTINGS, "--out", out,
                "--set", "meta-train.iterations=2"));
        assertEquals(1, code);
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: ") && message.contains(out), message);
        assertEquals("not a directory", Files.readString(blocker.toPath()));
    }
}
