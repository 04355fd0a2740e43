package io.ml3spark.driver.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.format.LearnedLossFile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a finished {@code train} run directory must hold (docs/run-directory.md). */
public final class RunDirectoryAssertions {
    private RunDirectoryAssertions() {
    }

    /** Checks metrics.csv, learned-loss.safetensors and evaluation.json; returns the learned loss's phi. */
    public static double[] assertCompleteRun(Path dir, String experiment, long seed, int iterations) throws IOException {
        List<String> metrics = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals("iteration,task_loss,tasks,skipped_tasks,seconds", metrics.get(0));
        assertEquals(iterations + 1, metrics.size(), "metrics.csv: a header and one row per iteration");
        for (int i = 1; i <= iterations; i++) {
            String[] row = metrics.get(i).split(",");
            assertEquals(i, Integer.parseInt(row[0]));
            assertTrue(Double.isFinite(Double.parseDouble(row[1])) && Double.parseDouble(row[1]) > 0, metrics.get(i));
        }

        LearnedLossFile.Contents loss = LearnedLossFile.decode(
                Files.readAllBytes(dir.resolve("learned-loss.safetensors")), dir + "/learned-loss.safetensors");
        assertEquals(experiment, loss.experiment());
        assertEquals(seed, loss.seed());
        assertEquals(iterations, loss.iterations());

        JsonNode eval = new ObjectMapper().readTree(dir.resolve("evaluation.json").toFile());
        assertEquals(experiment, eval.path("experiment").asText());
        for (String path : List.of("/ml3/final_mse_mean", "/baseline/final_mse_mean", "/task_sets/test/ml3/final_mse_mean",
                "/task_sets/test/baseline/final_mse_mean")) {
            assertTrue(eval.at(path).isNumber() && Double.isFinite(eval.at(path).asDouble()),
                    "evaluation.json " + path + " = " + eval.at(path));
        }
        assertTrue(Files.size(dir.resolve("config.conf")) > 0);
        return loss.phi();
    }
}
