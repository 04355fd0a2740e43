package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.driver.Ml3;
import io.ml3spark.format.LearnedLossFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checkpoints and {@code train --resume}: the resumed run ends bit-identical to an uninterrupted one. */
class ResumeTest {
    static final String[] SETTINGS = {"train", "--config", "../conf/sine-regression.conf", "--master", "local[2]",
        "--skip-evaluation", "--set", "sine-regression.train-tasks.count=6", "--set",
        "sine-regression.train-tasks.resample=true", "--set", "meta-train.tasks-per-spark-task=2",
        "--set", "meta-train.checkpoint-every=4", "--set", "meta-train.keep-checkpoints=5"};

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    static String[] args(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private void train(String... args) {
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), args), err.toString());
    }

    /** Resumes {@code run} up to 12 iterations; returns what it printed. */
    private static String resume(Path run) {
        Ml3Cli.Result r = Ml3Cli.run("train", "--resume", run.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=12");
        assertEquals(0, r.exit(), r.stderr());
        return r.stdout();
    }

    static double[] phi(Path run) throws IOException {
        return LearnedLossFile.decode(Files.readAllBytes(run.resolve("learned-loss.safetensors")), run.toString()).phi();
    }

    @Test
    void aCheckpointWriteStoppedBeforeItsRenameIsComputedAgainAndTheRunEndsBitIdentical() throws IOException {
        Path whole = tmp.resolve("whole");
        train(args(SETTINGS, "--out", whole.toString(), "--set", "meta-train.iterations=12"));
        Path split = tmp.resolve("split");
        train(args(SETTINGS, "--out", split.toString(), "--set", "meta-train.iterations=10"));
        Path checkpoints = split.resolve("checkpoints");
        byte[] newest = Files.readAllBytes(checkpoints.resolve("iter-000010.safetensors"));
        Files.write(checkpoints.resolve(".iter-000010.safetensors.tmp"), java.util.Arrays.copyOf(newest, newest.length / 2));
        Files.delete(checkpoints.resolve("iter-000010.safetensors"));

        String out = resume(split);
        assertTrue(out.contains("[train] removed checkpoints/.iter-000010.safetensors.tmp: the write of "
                + "iter-000010.safetensors was stopped before it finished"), out);
        assertTrue(out.contains("after iteration 8"), out);
        assertArrayEquals(phi(whole), phi(split), "phi after resume must be bit-identical");
    }

    @Test
    void resumeAfterACorruptNewestCheckpointEndsBitIdentical() throws IOException {
        Path whole = tmp.resolve("whole");
        train(args(SETTINGS, "--out", whole.toString(), "--set", "meta-train.iterations=12"));

        Path split = tmp.resolve("split");
        train(args(SETTINGS, "--out", split.toString(), "--set", "meta-train.iterations=10"));
        Path checkpoints = split.resolve("checkpoints");
        assertEquals(List.of("iter-000004.safetensors", "iter-000008.safetensors", "iter-000010.safetensors"),
                Files.list(checkpoints).map(p -> p.getFileName().toString()).sorted().toList());
        byte[] newest = Files.readAllBytes(checkpoints.resolve("iter-000010.safetensors"));
        Files.write(checkpoints.resolve("iter-000010.safetensors"), java.util.Arrays.copyOf(newest, newest.length / 2));

        String out = resume(split);
        assertTrue(out.contains("skipping checkpoint checkpoints/iter-000010.safetensors"), out);
        assertTrue(out.contains("resuming " + split.toUri().toString().replaceAll("/$", "").replace("file:///", "file:/")
                + " after iteration 8"), out);

        assertArrayEquals(phi(whole), phi(split), "phi after resume must be bit-identical");
        List<String> a = Files.readAllLines(whole.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(split.resolve("metrics.csv"));
        assertEquals(13, b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).substring(0, a.get(i).lastIndexOf(',')), b.get(i).substring(0, b.get(i).lastIndexOf(',')));
        }
    }

    @Test
    void resumeWithoutConfigOrOutOnlyAndUnknownRunAreUserErrors() {
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--resume", tmp.toString(), "--config", "x.conf"));
        assertTrue(err.toString().contains("--config=FILE, --resume=RUN_DIR are mutually exclusive"), err.toString());
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--resume", tmp.toString(), "--out", "x"));
        assertTrue(err.toString().contains("--resume RUN_DIR continues the run in RUN_DIR; drop --out, --overwrite and --continue"),
                err.toString());
        assertEquals(1, Ml3.execute(new PrintWriter(err, true), "train", "--resume", tmp.resolve("none").toString(),
                "--master", "local[1]"));
        assertTrue(err.toString().contains("run directory not found: " + tmp.resolve("none")), err.toString());
    }

    /**
     * A replace that an older version stopped between deleting the old file and renaming the new
     * one leaves only {@code .NAME.tmp}: the resume refuses with advice naming it, changes
     * nothing, and resumes from the newest checkpoint once the advice is followed.
     */
    @Test
    void aReplaceStoppedHalfwayByAnOlderVersionIsRefusedWithAdviceThatLosesNothing() throws IOException {
        Path run = tmp.resolve("run");
        train(args(SETTINGS, "--out", run.toString(), "--set", "meta-train.iterations=8"));
        for (String name : List.of("metrics.csv", "run.json")) {
            Files.move(run.resolve(name), run.resolve("." + name + ".tmp"));
            Ml3Cli.Result refused = Ml3Cli.run("train", "--resume", run.toString(), "--master", "local[1]",
                    "--skip-evaluation", "--set", "meta-train.iterations=12");
            assertEquals(1, refused.exit());
            assertTrue(refused.stderr().contains(name + " is missing and ") && refused.stderr().contains(
                    "." + name + ".tmp holds a write that was stopped before it finished; if that file is whole, rename it to "
                            + name), refused.stderr());
            assertEquals(List.of("iter-000004.safetensors", "iter-000008.safetensors"), Files.list(run.resolve("checkpoints"))
                    .map(p -> p.getFileName().toString()).sorted().toList(), "nothing was removed");
            Files.move(run.resolve("." + name + ".tmp"), run.resolve(name));
        }
        String out = resume(run);
        assertTrue(out.contains("after iteration 8"), out);
        assertEquals(13, Files.readAllLines(run.resolve("metrics.csv")).size());
    }
}
