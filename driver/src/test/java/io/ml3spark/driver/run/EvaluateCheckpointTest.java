package io.ml3spark.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code evaluate --loss} on a checkpoint: the run's phi after that iteration, meta-tested into a
 * new directory, and trusted only inside its own run's {@code checkpoints/}.
 */
class EvaluateCheckpointTest {
    @TempDir
    static Path tmp;
    private static Path run;

    private final StringWriter err = new StringWriter();

    @BeforeAll
    static void trainEightIterations() {
        run = tmp.resolve("run");
        StringWriter e = new StringWriter();
        assertEquals(0, Ml3.execute(new PrintWriter(e, true), ResumeTest.args(ResumeTest.SETTINGS, "--out", run.toString(),
                "--set", "meta-train.iterations=8")), e.toString());
    }

    private int evaluate(String loss, String... more) {
        err.getBuffer().setLength(0);
        String[] args = ResumeTest.args(new String[] {"evaluate", "--loss", loss, "--master", "local[2]"}, more);
        if (!String.join(" ", more).contains("--config")) {
            args = ResumeTest.args(args, "--config", run.resolve("config.conf").toString());
        }
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return Ml3.execute(new PrintWriter(err, true), args);
        } finally {
            System.setOut(stdout);
        }
    }

    private String checkpoint(int iteration) {
        return run.resolve(String.format("checkpoints/iter-%06d.safetensors", iteration)).toString();
    }

    private String errorLine() {
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private static JsonNode taskSets(Path dir) throws IOException {
        return new ObjectMapper().readTree(dir.resolve("evaluation.json").toFile()).get("task_sets");
    }

    @Test
    void float32MetaTestsInFloatAndTracksFloat64() throws IOException {
        Path f64 = tmp.resolve("eval-f64");
        Path f32 = tmp.resolve("eval-f32");
        String loss = run.resolve("learned-loss.safetensors").toString();
        assertEquals(0, evaluate(loss, "--out", f64.toString()), err.toString());
        assertEquals(0, evaluate(loss, "--out", f32.toString(), "--set", "precision=float32"), err.toString());
        JsonNode tasks64 = taskSets(f64).get("test").get("tasks");
        JsonNode tasks32 = taskSets(f32).get("test").get("tasks");
        assertEquals(tasks64.size(), tasks32.size());
        for (int i = 0; i < tasks64.size(); i++) {
            for (String key : new String[] {"ml3_final_mse", "baseline_final_mse"}) {
                double a = tasks32.get(i).get(key).asDouble();
                double e = tasks64.get(i).get(key).asDouble();
                assertEquals(a, (double) (float) a, 0.0, "test task " + i + " " + key + " computed in float32");
                assertNotEquals(e, a, "test task " + i + " " + key + " rounds differently in float32");
                assertEquals(e, a, 1e-3 * Math.abs(e), "test task " + i + " " + key);
            }
        }
    }

    @Test
    void theLastCheckpointMetaTestsAsTheLearnedLossAndAnEarlierOneAsItsOwnPhi() throws IOException {
        Path finalLoss = tmp.resolve("final");
        Path last = tmp.resolve("after-8");
        Path earlier = tmp.resolve("after-4");
        assertEquals(0, evaluate(run.resolve("learned-loss.safetensors").toString(), "--out", finalLoss.toString()), err.toString());
        assertEquals(0, evaluate(checkpoint(8), "--out", last.toString()), err.toString());
        assertEquals(0, evaluate(checkpoint(4), "--out", earlier.toString()), err.toString());
        assertEquals(taskSets(finalLoss), taskSets(last), "phi after the last iteration is the learned loss");
        assertNotEquals(taskSets(last), taskSets(earlier), "phi after iteration 4 is another loss");
        JsonNode evaluated = new ObjectMapper().readTree(earlier.resolve("evaluation.json").toFile());
        assertTrue(evaluated.toString().contains("iter-000004.safetensors"), "the report names the checkpoint: " + evaluated);
        assertFalse(Files.exists(run.resolve("checkpoints/evaluation.json")));
    }

    @Test
    void aCheckpointNeedsANewOutAndItsOwnRunDirectory() throws IOException {
        assertEquals(2, evaluate(checkpoint(4)));
        assertTrue(errorLine().contains("evaluating checkpoint " + checkpoint(4) + " needs --out DIR"), err.toString());

        assertEquals(1, evaluate(checkpoint(4), "--out", run.toString()));
        assertTrue(errorLine().contains(" holds the checkpoint's run, whose evaluation.json this would replace"), err.toString());

        Path loose = Files.createDirectories(tmp.resolve("loose/checkpoints"));
        Files.copy(Path.of(checkpoint(4)), loose.resolve("iter-000004.safetensors"));
        assertEquals(1, evaluate(loose.resolve("iter-000004.safetensors").toString(), "--out", tmp.resolve("x").toString()));
        assertTrue(errorLine().contains("is not in the checkpoints/ of a run directory"), err.toString());

        Path other = tmp.resolve("other");
        StringWriter e = new StringWriter();
        assertEquals(0, Ml3.execute(new PrintWriter(e, true), ResumeTest.args(ResumeTest.SETTINGS, "--out", other.toString(),
                "--set", "meta-train.iterations=4", "--set", "seed=1")), e.toString());
        Path foreign = run.resolve("checkpoints/iter-000099.safetensors");
        Files.copy(other.resolve("checkpoints/iter-000004.safetensors"), foreign);
        try {
            assertEquals(1, evaluate(foreign.toString(), "--out", tmp.resolve("y").toString()));
            String otherId = RunRecord.decode(Files.readAllBytes(other.resolve("run.json")), "run.json").runId();
            assertTrue(errorLine().contains("belongs to run " + otherId + ", not to run "), err.toString());
        } finally {
            Files.delete(foreign);
        }
    }

    @Test
    void aCheckpointOfAnotherLossOrExperimentIsAConfigErrorNamingBoth() {
        assertEquals(2, evaluate(checkpoint(4), "--out", tmp.resolve("z").toString(),
                "--set", "sine-regression.learned-loss.layers=[2, 40, 50, 1]"));
        String line = errorLine();
        assertTrue(line.contains("the learned loss of checkpoint " + checkpoint(4) + " is ")
                && line.contains(", but config " + run.resolve("config.conf") + " expects "), line);
        assertEquals(2, evaluate(checkpoint(4), "--out", tmp.resolve("z").toString(), "--config",
                "../conf/pointmass-model-free.conf"));
        assertTrue(errorLine().contains("is of a sine-regression run, but config ../conf/pointmass-model-free.conf is model-free"),
                err.toString());
    }
}
