package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3Cli;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code evaluate --out} and {@code train --overwrite} write and remove only what is theirs. */
class OutputOwnershipTest {
    @TempDir
    Path tmp;

    private String err = "";
    private String stdout = "";
    private Path run;

    private int ml3(String... args) {
        Ml3Cli.Result r = Ml3Cli.run(args);
        err = r.stderr();
        stdout = r.stdout();
        return r.exit();
    }

    @BeforeEach
    void trainARun() {
        run = tmp.resolve("run");
        assertEquals(0, ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", run.toString(), "--set",
                "meta-train.iterations=2")), err);
    }

    private int evaluateInto(Path out) {
        return ml3("evaluate", "--loss", run.resolve(TrainingRun.LOSS_FILE).toString(), "--config",
                run.resolve("config.conf").toString(), "--master", "local[1]", "--set", "sine-regression.meta-test.steps=3",
                "--out", out.toString());
    }

    @Test
    void evaluateRefusesADirectoryItDidNotWriteAndNeverReplacesAnEvaluation() throws IOException {
        Path users = Files.createDirectory(tmp.resolve("users"));
        Files.writeString(users.resolve("evaluation.json"), "{\"mine\": 1}");
        assertEquals(1, evaluateInto(users));
        assertTrue(err.contains(users.toUri().toString().replaceAll("/$", "").replace("file:///", "file:/")
                + " is not empty and was not written by evaluate (evaluation.json); choose a new or empty --out"),
                err);
        assertEquals("{\"mine\": 1}", Files.readString(users.resolve("evaluation.json")));
        try (java.util.stream.Stream<Path> left = Files.list(users)) {
            assertEquals(java.util.List.of("evaluation.json"), left.map(f -> f.getFileName().toString()).toList(),
                    "nothing written into a directory evaluate does not own, not even a lock");
        }

        Path out = tmp.resolve("eval");
        assertEquals(0, evaluateInto(out), err);
        String first = Files.readString(out.resolve("evaluation.json"));
        assertEquals(1, evaluateInto(out));
        assertTrue(err.contains(" already holds an evaluation (evaluation.json), which this would replace;"
                + " evaluate into a new --out"), err);
        assertEquals(first, Files.readString(out.resolve("evaluation.json")));
    }

    @Test
    void overwriteRemovesOnlyWhatMl3WroteAndSaysWhatItKept() throws IOException {
        Files.writeString(run.resolve("notes.txt"), "my notes");
        Files.createDirectories(run.resolve("data"));
        Files.writeString(run.resolve("data/x.csv"), "1,2\n");
        assertEquals(0, ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", run.toString(), "--overwrite", "--set",
                "meta-train.iterations=1")), err);
        assertTrue(stdout.contains("[train] kept data, notes.txt in "), stdout);
        assertEquals("my notes", Files.readString(run.resolve("notes.txt")));
        assertEquals("1,2\n", Files.readString(run.resolve("data/x.csv")));
        assertFalse(Files.exists(run.resolve("checkpoints/iter-000002.safetensors")), "the old run's checkpoint is gone");
        assertTrue(Files.exists(run.resolve("checkpoints/iter-000001.safetensors")));
    }
}
