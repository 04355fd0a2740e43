package io.ml3spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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

/** The commands as a user runs them, on Spark local[2], writing real run directories. */
class Ml3CommandLineTest {
    private static final String CONFIG = "../conf/sine-regression.conf";
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Ml3.execute(new PrintWriter(err, true), args);
    }

    @Test
    void trainWritesTheRunDirectoryAndEvaluateReproducesItsNumbers() throws IOException {
        Path runDir = tmp.resolve("run");
        assertEquals(0, run("train", "--config", CONFIG, "--master", "local[2]", "--out", runDir.toString(),
                "--set", "meta-train.iterations=12", "--set", "meta-train.log-every=5",
                "--set", "sine-regression.meta-test.steps=20"), err.toString());
        List<String> metrics = Files.readAllLines(runDir.resolve("metrics.csv"));
        assertEquals("iteration,task_loss,tasks,skipped_tasks,seconds", metrics.get(0));
        assertEquals(13, metrics.size());
        assertTrue(Files.readString(runDir.resolve("config.conf")).contains("iterations=12"));
        for (String png : List.of("meta-train.png", "meta-test-test.png", "meta-test-train.png")) {
            byte[] head = java.util.Arrays.copyOf(Files.readAllBytes(runDir.resolve(png)), 4);
            assertArrayEquals(PNG_MAGIC, head, png);
        }
        JsonNode trained = new ObjectMapper().readTree(runDir.resolve("evaluation.json").toFile());
        assertEquals(10, trained.path("task_sets").path("test").path("tasks").size());
        assertEquals(21, trained.path("task_sets").path("test").path("ml3_curve_mean").size());
        assertTrue(trained.path("ml3").path("final_mse_mean").isNumber());
        assertTrue(trained.path("baseline").path("final_nmse_mean").isNumber());

        Path evalDir = tmp.resolve("eval");
        assertEquals(0, run("evaluate", "--loss", runDir.resolve("learned-loss.safetensors").toString(),
                "--config", CONFIG, "--master", "local[2]", "--out", evalDir.toString(),
                "--set", "sine-regression.meta-test.steps=20"), err.toString());
        JsonNode evaluated = new ObjectMapper().readTree(evalDir.resolve("evaluation.json").toFile());
        java.io.ByteArrayOutputStream table = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(table, true));
        try {
            assertEquals(0, run("summarize", runDir.toString(), evalDir.toString()), err.toString());
        } finally {
            System.setOut(stdout);
        }
        assertTrue(table.toString().contains(String.format("| %.3f |", trained.path("ml3").path("final_mse_mean").asDouble())),
                table.toString());
        assertEquals(7, table.toString().lines().count(), table.toString());
        assertTrue(table.toString().startsWith("### sine-regression (2 runs)\n\n| run | test mse ML3 | test mse baseline |"
                + " ML3 better (lower is better) |"), table.toString());
        boolean won = trained.path("ml3").path("final_mse_mean").asDouble() < trained.path("baseline").path("final_mse_mean").asDouble();
        assertTrue(table.toString().contains("| mean |") && table.toString().contains(won ? "| 2 of 2 |" : "| 0 of 2 |"),
                table.toString());
        assertEquals(trained.path("ml3").path("final_mse_mean").asDouble(),
                evaluated.path("ml3").path("final_mse_mean").asDouble());
        assertEquals(trained.path("baseline").path("final_mse_mean").asDouble(),
                evaluated.path("baseline").path("final_mse_mean").asDouble());
    }

    @Test
    void configErrorIsOneLineAndExitCodeTwoAndWritesNothing() {
        Path runDir = tmp.resolve("never");
        assertEquals(2, run("train", "--config", CONFIG, "--out", runDir.toString(), "--set", "meta-train.adam.beta1=1.5"));
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith("error: invalid config value at 'meta-train.adam.beta1'"), message);
        assertTrue(!Files.exists(runDir));
    }

    @Test
    void corruptLossFileIsReportedByName() throws IOException {
        Path loss = tmp.resolve("learned-loss.safetensors");
        Files.write(loss, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        assertEquals(1, run("evaluate", "--loss", loss.toString(), "--config", CONFIG, "--master", "local[1]"));
        assertTrue(err.toString().contains("corrupt file " + loss), err.toString());
    }
}
