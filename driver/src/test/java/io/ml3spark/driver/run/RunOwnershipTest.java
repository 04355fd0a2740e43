package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.format.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One run per directory: reuse, overwrite, locks held by real processes, and checkpoints that do not belong. */
class RunOwnershipTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();
    private String stdout = "";

    /** Runs the CLI in this JVM; returns the exit code, with stdout in {@link #stdout} and stderr in {@link #err}. */
    private int ml3(String... args) {
        Ml3Cli.Result r = Ml3Cli.run(args);
        err.getBuffer().setLength(0);
        err.write(r.stderr());
        stdout = r.stdout();
        return r.exit();
    }

    private int train(Path out, String... more) {
        return ml3(ResumeTest.args(ResumeTest.args(ResumeTest.SETTINGS, "--out", out.toString()), more));
    }

    private String errorLine() {
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private static Map<String, byte[]> contents(Path dir) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((name, bytes) -> assertArrayEquals(bytes, actual.get(name), name));
    }

    @Test
    void trainIntoAnotherRunsDirectoryRefusesUnlessOverwrite() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--set", "meta-train.iterations=10"), err.toString());
        assertFalse(Files.exists(run.resolve(RunLock.FILE)), "the lock is released at the end");
        Map<String, byte[]> before = contents(run);
        String owner = RunRecord.decode(before.get("run.json"), "run.json").runId();

        assertEquals(1, train(run, "--set", "meta-train.iterations=3"));
        String line = errorLine();
        assertTrue(line.startsWith("error: " + run.toUri().toString().replace("file:///", "file:/").replaceAll("/$", "")
                + " holds another run " + owner + " (sine-regression, seed 0, started "), line);
        assertTrue(line.endsWith("pass --overwrite to replace it, train --resume " + line.substring(7, line.indexOf(" holds"))
                + " to continue it, or choose another --out"), line);
        assertSameFiles(before, contents(run));

        assertEquals(0, train(run, "--set", "meta-train.iterations=3", "--overwrite"), err.toString());
        assertTrue(stdout.contains("--overwrite: removing run " + owner), stdout);
        assertNotEquals(owner, RunRecord.decode(Files.readAllBytes(run.resolve("run.json")), "run.json").runId());
        try (Stream<Path> checkpoints = Files.list(run.resolve("checkpoints"))) {
            assertEquals(java.util.List.of("iter-000003.safetensors"),
                    checkpoints.map(p -> p.getFileName().toString()).toList(), "only the new run's checkpoints");
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.csv")).size());
    }

    @Test
    void continueTakesUpTheSameConfigsRunOnceTheDeadAttemptsLockIsStaleAndRefusesAnother() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--set", "meta-train.iterations=8", "--continue"), err.toString());
        String owner = RunRecord.decode(Files.readAllBytes(run.resolve("run.json")), "run.json").runId();
        Files.delete(run.resolve("learned-loss.safetensors"));
        // The retried job starts while the lock of the attempt that died is not stale yet.
        RunLockTest.foreignLock(run, RunLock.STALE_AFTER_SECONDS - 3);
        assertEquals(0, train(run, "--set", "meta-train.iterations=8", "--continue"), err.toString());
        assertTrue(stdout.contains("waiting up to " + RunLock.RETRY_PATIENCE.toSeconds() + " s for it to be released or go stale")
                && stdout.contains("[lock] taking over the stale lock of ml3 train (process 4242 on gpu-node-7"), stdout);
        assertTrue(stdout.contains("holds run " + owner + " (sine-regression, seed 0, started ")
                && stdout.contains("of this config; continuing it"), stdout);
        assertTrue(stdout.contains("resuming ") && stdout.contains(" after iteration 8"), stdout);
        assertTrue(Files.exists(run.resolve("learned-loss.safetensors")), "the retried job finishes the run");
        assertEquals(owner, RunRecord.decode(Files.readAllBytes(run.resolve("run.json")), "run.json").runId());
        assertEquals(1, train(run, "--set", "meta-train.iterations=8", "--set", "seed=1", "--continue"));
        assertTrue(errorLine().contains(" holds another run " + owner), err.toString());
    }

    @Test
    void evaluateNeverReplacesAnotherRunsEvaluation() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        assertEquals(0, train(a, "--set", "meta-train.iterations=2"), err.toString());
        assertEquals(0, train(b, "--set", "meta-train.iterations=3"), err.toString());
        Map<String, byte[]> before = contents(b);
        String[] evaluate = {"evaluate", "--loss", a.resolve(TrainingRun.LOSS_FILE).toString(), "--config",
            "../conf/sine-regression.conf", "--master", "local[1]", "--set", "sine-regression.meta-test.steps=3"};
        assertEquals(1, ml3(ResumeTest.args(evaluate, "--out", b.toString())));
        assertTrue(errorLine().endsWith(" holds another run, whose evaluation.json this would replace; evaluate into the"
                + " loss file's own run directory or a new --out"), err.toString());
        assertSameFiles(before, contents(b));
        assertEquals(0, ml3(evaluate), err.toString());
        assertEquals(0, ml3(ResumeTest.args(evaluate, "--out", tmp.resolve("c").toString())), err.toString());
    }

    @Test
    void aDirectoryThatHoldsNoRunIsNeverWrittenEvenWithOverwrite() throws IOException {
        Path notes = tmp.resolve("notes");
        Files.createDirectories(notes);
        Files.writeString(notes.resolve("thesis.tex"), "precious");
        for (String[] extra : new String[][] {{}, {"--overwrite"}}) {
            assertEquals(1, train(notes, ResumeTest.args(extra, "--set", "meta-train.iterations=2")));
            assertTrue(errorLine().endsWith(" is not empty and holds no ml3 run (thesis.tex); choose a new or empty directory"),
                    err.toString());
            assertEquals(Map.of("thesis.tex", "precious"), Map.of("thesis.tex", Files.readString(notes.resolve("thesis.tex"))));
            try (Stream<Path> entries = Files.list(notes)) {
                assertEquals(1, entries.count());
            }
        }
    }

    @Test
    void aFailedStartLeavesNothingBehind() throws IOException {
        Path fresh = tmp.resolve("fresh");
        String missing = tmp.resolve("missing.safetensors").toString();
        assertEquals(2, train(fresh, "--set", "meta-train.init-from=\"" + missing + "\""));
        assertTrue(errorLine().startsWith("error: meta-train.init-from: file not found: " + missing), err.toString());
        assertFalse(Files.exists(fresh), "a directory the failed run created is removed");
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertEquals(2, train(empty, "--set", "meta-train.init-from=\"" + missing + "\""));
        try (Stream<Path> entries = Files.list(empty)) {
            assertEquals(0, entries.count(), "a directory that was empty stays empty");
        }
    }

    @Test
    void resumeRefusesAnEditedConfigAndChangesThatShapeTheTrajectory() throws IOException {
        Path run = tmp.resolve("run");
        assertEquals(0, train(run, "--set", "meta-train.iterations=4"), err.toString());
        String config = Files.readString(run.resolve("config.conf"));
        assertTrue(config.contains("seed=0"), config);
        Files.writeString(run.resolve("config.conf"), config.replace("seed=0", "seed=5"));
        assertEquals(2, ml3("train", "--resume", run.toString(), "--master", "local[1]", "--skip-evaluation"));
        assertTrue(errorLine().contains("config.conf was edited after the run started (seed differ from "), err.toString());
        Files.writeString(run.resolve("config.conf"), "meta-train { {{ ");
        assertEquals(2, ml3("train", "--resume", run.toString(), "--master", "local[1]", "--skip-evaluation"));
        assertTrue(errorLine().startsWith("error: cannot parse config ") && err.toString().contains("config.conf"),
                err.toString());
        Files.writeString(run.resolve("config.conf"), config);

        assertEquals(2, ml3("train", "--resume", run.toString(), "--master", "local[1]", "--skip-evaluation",
                "--set", "meta-train.adam.learning-rate=0.01", "--set", "meta-train.iterations=6"));
        assertTrue(errorLine().startsWith("error: --resume cannot change meta-train.adam.learning-rate: they shape"),
                err.toString());
        assertEquals(config, Files.readString(run.resolve("config.conf")), "a refused resume changes nothing");

        assertEquals(0, ml3("train", "--resume", run.toString(), "--master", "local[1]", "--skip-evaluation",
                "--set", "meta-train.iterations=6"), err.toString());
        assertTrue(stdout.contains("[train] resume changes meta-train.iterations"), stdout);
        assertTrue(Files.readString(run.resolve("config.conf")).contains("iterations=6"));
        assertEquals(7, Files.readAllLines(run.resolve("metrics.csv")).size());
    }

    /** A checkpoint re-encoded with valid checksums after {@code edit} changed its metadata, as a careful attacker would. */
    private static void reSeal(Path checkpoint, Map<String, String> edit) throws IOException {
        Safetensors.Contents c = Safetensors.decode(Files.readAllBytes(checkpoint), checkpoint.toString());
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.putAll(edit);
        meta.remove("crc32");
        meta.remove(Safetensors.FILE_CRC);
        Files.write(checkpoint, Safetensors.encode(c.tensors(), meta));
    }

    @Test
    void checkpointsThatDoNotBelongAreSkippedAndTheResumedRunEndsBitIdentical() throws IOException {
        String[] every2 = {"--set", "meta-train.checkpoint-every=2", "--set", "meta-train.keep-checkpoints=6"};
        Path whole = tmp.resolve("whole");
        assertEquals(0, train(whole, ResumeTest.args(every2, "--set", "meta-train.iterations=12")), err.toString());
        Path other = tmp.resolve("other");
        assertEquals(0, train(other, ResumeTest.args(every2, "--set", "meta-train.iterations=10")), err.toString());
        Path split = tmp.resolve("split");
        assertEquals(0, train(split, ResumeTest.args(every2, "--set", "meta-train.iterations=10")), err.toString());

        Path checkpoints = split.resolve("checkpoints");
        Files.copy(other.resolve("checkpoints/iter-000010.safetensors"), checkpoints.resolve("iter-000010.safetensors"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        reSeal(checkpoints.resolve("iter-000008.safetensors"), Map.of("adam.step", "7"));
        reSeal(checkpoints.resolve("iter-000006.safetensors"), Map.of("iteration", "5"));
        Path four = checkpoints.resolve("iter-000004.safetensors");
        byte[] bytes = Files.readAllBytes(four);
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        bytes[text.indexOf("\"iteration\":\"4\"") + "\"iteration\":\"".length()] = '3';
        Files.write(four, bytes);

        assertEquals(0, ml3("train", "--resume", split.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=12"), err.toString());
        assertTrue(stdout.contains("skipping checkpoint checkpoints/iter-000010.safetensors: another run's checkpoint (run-id "),
                stdout);
        assertTrue(stdout.contains("skipping checkpoint checkpoints/iter-000008.safetensors: adam.step 7, but metrics.csv"
                + " records 8 iterations with a finite task up to iteration 8"), stdout);
        assertTrue(stdout.contains("skipping checkpoint checkpoints/iter-000006.safetensors: its iteration 5 does not match"
                + " its file name"), stdout);
        assertTrue(stdout.contains("skipping checkpoint checkpoints/iter-000004.safetensors: corrupt file ")
                && stdout.contains("file checksum mismatch"), stdout);
        assertTrue(stdout.contains("after iteration 2"), stdout);
        assertArrayEquals(ResumeTest.phi(whole), ResumeTest.phi(split), "phi after resume must be bit-identical");
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void aSecondProcessIsRefusedWhileTheFirstHoldsTheLockAndTakesOverOnceItIsKilled() throws Exception {
        Path run = tmp.resolve("run");
        Process first = DriverProcess.start(tmp.resolve("first.log"), ResumeTest.args(ResumeTest.SETTINGS, "--out",
                run.toString(), "--set", "meta-train.iterations=100000", "--set", "meta-train.checkpoint-every=3"));
        try {
            Path checkpoint = run.resolve("checkpoints/iter-000003.safetensors");
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (!Files.exists(checkpoint) && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(first.isAlive(), Files.readString(tmp.resolve("first.log")));
            String lockedBy = " is locked by ml3 train (process " + first.pid() + " on ";
            assertEquals(1, train(run, "--set", "meta-train.iterations=3", "--overwrite"));
            assertTrue(errorLine().contains(lockedBy), err.toString());
            assertEquals(1, ml3("train", "--resume", run.toString(), "--master", "local[1]", "--skip-evaluation"));
            assertTrue(errorLine().contains(lockedBy) && err.toString().contains("a lock is stale once its process has ended"),
                    err.toString());
            assertTrue(first.isAlive(), "the refused attempts did not disturb the first run");
        } finally {
            first.destroyForcibly().waitFor(1, TimeUnit.MINUTES);
        }
        // The first process may have gone on past iteration 3 before it was killed: resume to 3 past its newest checkpoint.
        int reached;
        try (Stream<Path> checkpoints = Files.list(run.resolve("checkpoints"))) {
            reached = checkpoints.map(p -> p.getFileName().toString()).filter(n -> n.matches("iter-\\d{6}\\.safetensors"))
                    .mapToInt(n -> Integer.parseInt(n.substring(5, 11))).max().orElseThrow();
        }
        assertEquals(0, ml3("train", "--resume", run.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=" + (reached + 3)), err.toString());
        assertTrue(stdout.contains("[lock] taking over the stale lock of ml3 train (process " + first.pid())
                && stdout.contains("process " + first.pid() + " is not running"), stdout);
        assertEquals(reached + 3 + 1, Files.readAllLines(run.resolve("metrics.csv")).size(), stdout);
        assertFalse(Files.exists(run.resolve(RunLock.FILE)));
    }
}
