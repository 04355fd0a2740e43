package io.ml3spark.driver;

import io.ml3spark.driver.cluster.FreePorts;
import io.ml3spark.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every user-facing failure is one line on stderr with the documented exit code, and a failed start writes nothing. */
class OneLineErrorsTest {
    private static final String CONFIG = "../conf/sine-regression.conf";

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private String oneLine(int expectedCode, String... args) {
        err.getBuffer().setLength(0);
        assertEquals(expectedCode, Ml3.execute(new PrintWriter(err, true), args), err.toString());
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    @Test
    void benchArgumentsAreCheckedBeforeAnythingRuns() {
        assertEquals("error: --batches: task batch sizes must be in [1, 1048576], got -1",
                oneLine(2, "bench", "--batches", "-1"));
        assertEquals("error: --batches: task batch sizes must be in [1, 1048576], got 0",
                oneLine(2, "bench", "--batches", "16,0"));
        assertEquals("error: --backends: one of " + Backends.names() + ", got 'cuda' (the CUDA build runs nd4j on the GPU: "
                + "mvn -Pcuda package, then --backends nd4j)", oneLine(2, "bench", "--backends", "cuda"));
        assertEquals("error: --seconds: a number of seconds in (0, 3600], got -3.0", oneLine(2, "bench", "--seconds", "-3"));
        assertEquals("error: --blocks: auto or tasks per block in [1, 1048576], got 0", oneLine(2, "bench", "--blocks", "0"));
        assertEquals("error: --runs: a number of runs in [1, 100], got 0", oneLine(2, "bench", "--runs", "0"));
        assertEquals("error: --torch: /no/such/python3 is not a python3 that imports torch (auto, off, or a python3)",
                oneLine(2, "bench", "--torch", "/no/such/python3"));
    }

    @Test
    void unusableFileSystemsAndMastersAreOneLineAndLeaveNothing() {
        assertEquals("error: no Hadoop file system for s3a:// on the classpath (s3a://bucket/run); add hadoop-aws and its"
                + " AWS SDK bundle, of your Hadoop version (spark-submit --packages org.apache.hadoop:hadoop-aws:"
                + "<hadoop version>)", oneLine(1, "train", "--config", CONFIG, "--master", "local[1]", "--out",
                "s3a://bucket/run"));
        assertEquals("error: cannot reach hdfs://no-such-host.invalid:8020/run: unknown host no-such-host.invalid",
                oneLine(1, "train", "--config", CONFIG, "--master", "local[1]", "--out",
                        "hdfs://no-such-host.invalid:8020/run"));
        int port = FreePorts.next();
        Path out = tmp.resolve("never");
        String master = oneLine(1, "train", "--config", CONFIG, "--master", "spark://127.0.0.1:" + port, "--out",
                out.toString());
        assertTrue(master.startsWith("error: cannot reach the Spark master spark://127.0.0.1:" + port + " (127.0.0.1:"
                + port + ": Connection refused); is it running"), master);
        assertFalse(Files.exists(out));
    }

    @Test
    void aFullDiskIsOneLineNamingTheFile() throws IOException {
        Path full = Path.of("/dev/full");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.exists(full), "needs /dev/full (Linux) to fill a disk");
        Path out = Files.createDirectories(tmp.resolve("full"));
        // Every write of run.json goes through its temporary file, here the device that is always full.
        Files.createSymbolicLink(out.resolve(".run.json.tmp"), full);
        assertEquals("error: cannot write " + out.toUri().toString().replace("file:///", "file:/") + "run.json: No space left"
                + " on device", oneLine(1, "train", "--config", CONFIG, "--master", "local[1]", "--out", out.toString()));
        try (java.util.stream.Stream<Path> left = Files.list(out)) {
            assertEquals(List.of(), left.map(p -> p.getFileName().toString()).toList(), "the failed write's temporary file is removed");
        }
    }

    @Test
    void usageErrorsAreOneLineAndNameTheCommand() {
        assertEquals("error: Missing required option: '--config=FILE' (ml3 sweep --help lists the options)",
                oneLine(2, "sweep", "--grid", "g.conf", "--out", tmp.toString()));
        assertEquals("error: --config=FILE, --resume=RUN_DIR are mutually exclusive (specify only one) (ml3 train --help"
                + " lists the options)", oneLine(2, "train", "--config", CONFIG, "--resume", tmp.toString()));
        assertEquals("error: Missing required argument (specify one of these): (--config=FILE | --resume=RUN_DIR)"
                + " (ml3 train --help lists the options)", oneLine(2, "train"));
    }

    @Test
    void anUnexpectedFailureIsOneLineWithItsTraceInALogFile() throws IOException {
        StringWriter out = new StringWriter();
        int code = UserErrors.report(new IllegalStateException("something nobody anticipated"), new PrintWriter(out, true),
                false);
        assertEquals(1, code);
        String line = out.toString().trim();
        assertEquals(1, line.lines().count(), line);
        assertTrue(line.startsWith("error: IllegalStateException: something nobody anticipated (stack trace in "), line);
        Path log = Path.of(line.substring(line.indexOf("stack trace in ") + 15, line.indexOf("; --debug prints it")));
        assertTrue(Files.readString(log).contains("at io.ml3spark.driver.OneLineErrorsTest"), Files.readString(log));
        Files.delete(log);

        StringWriter debug = new StringWriter();
        UserErrors.report(new IllegalStateException("x"), new PrintWriter(debug, true), true);
        assertTrue(debug.toString().lines().count() > 3, "--debug prints the trace");
        err.getBuffer().setLength(0);
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config", "nope.conf", "--debug"));
        assertTrue(err.toString().startsWith("error: config file not found: nope.conf\n")
                && err.toString().contains("at io.ml3spark.driver.config.RunConfig.load"), err.toString());
    }

    @Test
    void aBackgroundThreadsExceptionIsOneWarningLineWithItsTraceInAFile() throws Exception {
        StringWriter out = new StringWriter();
        UserErrors.reportBackground(new Thread("spark-pool-1"),
                new java.util.concurrent.RejectedExecutionException("task rejected from a pool shutting down"),
                new PrintWriter(out, true));
        String line = out.toString().strip();
        assertTrue(line.startsWith("warning: thread spark-pool-1: RejectedExecutionException: task rejected from a pool"
                + " shutting down (stack trace in "), line);
        assertEquals(1, line.lines().count(), line);
        String log = line.substring(line.indexOf("stack trace in ") + 15, line.indexOf("; --debug"));
        assertTrue(Files.readString(Path.of(log)).contains("\tat "), log);
    }
}
