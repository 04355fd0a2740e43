package io.ml3spark.driver.run;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A task too large for the heap fails the run with one line and exit code 1, not Spark's exit 52 and traces. */
class OutOfMemoryRunTest {
    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"per-iteration, iteration 1", "barrier, iterations 1-2"})
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aTaskThatDoesNotFitIsOneLineAndLeavesNothing(String execution, String where) throws Exception {
        Path out = tmp.resolve("run");
        Path log = tmp.resolve("driver.log");
        Process driver = DriverProcess.start(log, List.of("-Xmx600m"), "train", "--config", "../conf/sine-regression.conf",
                "--master", "local[1]", "--out", out.toString(), "--set", "meta-train.iterations=2",
                "--set", "sine-regression.train-tasks.points=8000000",
                "--set", "meta-train.execution=" + execution);
        assertTrue(driver.waitFor(2, TimeUnit.MINUTES));
        String printed = Files.readString(log);
        assertEquals(1, driver.exitValue(), printed);
        List<String> errors = printed.lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(List.of("error: " + where + ": a Spark task ran out of memory computing the meta-gradients of its 1 ML3"
                + " tasks; lower meta-train.tasks-per-spark-task or the experiment's sizes, or give executors more memory"
                + " (spark.executor.memory; for local runs the driver's heap, ML3_JAVA_OPTS=-Xmx...)"), errors, printed);
        assertFalse(printed.contains("\tat "), "no stack trace: " + printed);
        assertFalse(Files.exists(out), "a run that fails in its first iteration leaves nothing");
    }

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void runningOutOfHeapOnTheDriverIsOneLineAndExits() throws Exception {
        Path log = tmp.resolve("bench.log");
        // Blocks of 65536 tasks: the in-process reference computes them on the driver's own thread, and their
        // arrays do not fit. Barrier mode with more groups than slots runs no loop row before it.
        Path config = tmp.resolve("one-block.conf");
        Files.writeString(config, Files.readString(Path.of("../conf/sine-regression.conf"))
                + "\nmeta-train.tasks-per-block = 65536\n");
        Process driver = DriverProcess.start(log, List.of("-Xmx512m"), "bench-train", "--config",
                config.toString(), "--master", "local[1]", "--tasks", "65536", "--groups", "2",
                "--executions", "barrier", "--seconds", "1");
        assertTrue(driver.waitFor(2, TimeUnit.MINUTES), "the JVM exits after running out of memory");
        String printed = Files.readString(log);
        assertEquals(1, driver.exitValue(), printed);
        List<String> errors = printed.lines().filter(l -> l.startsWith("error: ")).toList();
        assertEquals(1, errors.size(), printed);
        assertTrue(errors.get(0).startsWith("error: out of memory in this JVM (heap limit "), printed);
        assertFalse(printed.contains("\tat "), "no stack trace: " + printed);
    }
}
