package io.ml3spark.driver.testexperiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.Ml3;
import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.experiments.Experiments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * An experiment added with one class, one config and one service line runs through the CLI like the shipped ones,
 * and so does its new metric: evaluation.json records its direction, and summarize judges by it.
 */
class AddedExperimentTest {
    @TempDir
    Path tmp;

    @Test
    void theTestOnlyExperimentIsFoundAndTrainsAndMetaTestsThroughTheCli() throws IOException {
        assertTrue(Experiments.names().contains(LinearRegressionExperiment.NAME), Experiments.names().toString());
        Path out = tmp.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", "src/test/resources/test-linear-regression.conf",
                "--master", "local[2]", "--out", out.toString()), err.toString());
        assertEquals(21, Files.readAllLines(out.resolve("metrics.csv")).size());
        JsonNode evaluation = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(LinearRegressionExperiment.NAME, evaluation.path("experiment").asText());
        assertEquals(4, evaluation.path("task_sets").path("test").path("tasks").size());
        JsonNode test = evaluation.path("task_sets").path("test");
        assertTrue(Double.isFinite(test.path("ml3").path("final_mse_mean").asDouble(Double.NaN)), test.toString());
        JsonNode score = evaluation.path("task_sets").path("test-score");
        assertEquals("higher_is_better", score.path("direction").asText(), score.toString());

        Ml3Cli.Result summary = Ml3Cli.run("summarize", out.toString());
        assertEquals(0, summary.exit(), summary.stderr());
        String table = summary.stdout();
        assertTrue(table.contains("test-score fit_score ML3 | test-score fit_score baseline | ML3 better (higher is better) |"),
                table);
        boolean scoreWon = score.path("ml3").path("final_fit_score_mean").asDouble()
                > score.path("baseline").path("final_fit_score_mean").asDouble();
        String row = table.lines().filter(l -> l.startsWith("| " + out)).findFirst().orElseThrow();
        assertTrue(row.trim().endsWith(scoreWon ? "yes |" : "no |"), row);

        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config",
                "src/test/resources/test-linear-regression.conf", "--set", "test-linear-regression.taks=3"));
        assertTrue(err.toString().contains("unknown config key 'test-linear-regression.taks'"), err.toString());
    }
}
