package io.ml3spark.driver.testexperiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.Ml3;
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

/** An experiment added with one class, one config and one service line runs through the CLI like the shipped ones. */
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
        assertTrue(Double.isFinite(evaluation.path("ml3").path("final_mse_mean").asDouble(Double.NaN)));

        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config",
                "src/test/resources/test-linear-regression.conf", "--set", "test-linear-regression.taks=3"));
        assertTrue(err.toString().contains("unknown config key 'test-linear-regression.taks'"), err.toString());
    }
}
