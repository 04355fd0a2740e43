package io.ml3spark.driver.testenvironment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.Ml3;
import io.ml3spark.environments.GoalEnvironments;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An environment added with one class, its settings and one service line runs the goal-reaching experiment through the CLI. */
class AddedEnvironmentTest {
    private static final String CONFIG = "src/test/resources/test-rail-mbrl.conf";

    @TempDir
    Path tmp;

    @Test
    void theTestOnlyEnvironmentMetaTrainsAndMetaTestsThroughTheCli() throws IOException {
        assertTrue(GoalEnvironments.names().contains(RailEnvironment.NAME), GoalEnvironments.names().toString());
        Path out = tmp.resolve("run");
        StringWriter err = new StringWriter();
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", CONFIG, "--master", "local[2]",
                "--out", out.toString()), err.toString());
        assertEquals(5, Files.readAllLines(out.resolve("metrics.csv")).size());
        JsonNode evaluation = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals(2, evaluation.path("task_sets").path("test").path("tasks").size(), evaluation.toString());
        assertTrue(Files.readString(out.resolve("config.conf")).contains(RailEnvironment.NAME));
    }

    @Test
    void itsOwnKeysAreCheckedAndAnUnknownEnvironmentListsTheAddedOne() {
        StringWriter err = new StringWriter();
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config", CONFIG, "--out",
                tmp.resolve("a").toString(), "--set", "goal-reaching.rail.max-force=-1"));
        assertTrue(err.toString().contains("goal-reaching.rail.max-force"), err.toString());
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config", CONFIG, "--out",
                tmp.resolve("b").toString(), "--set", "goal-reaching.rail.mass=2"));
        assertTrue(err.toString().contains("unknown config key 'goal-reaching.rail.mass'"), err.toString());
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config", CONFIG, "--out",
                tmp.resolve("c").toString(), "--set", "goal-reaching.environment=tram"));
        assertTrue(err.toString().contains("'tram'") && err.toString().contains(RailEnvironment.NAME), err.toString());
    }
}
