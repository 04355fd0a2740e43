package io.ml3spark.driver.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A standalone Spark cluster of separate JVMs (master + 2 workers on 127.0.0.1) and the
 * shaded application jar submitted through SparkSubmit as a user would: the run directory
 * is complete and its learned loss is the one {@code local[2]} learns.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StandaloneClusterIT {
    @TempDir
    static Path dir;
    private static StandaloneCluster cluster;

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = StandaloneCluster.start(dir, 2, 1, "1g", Duration.ofSeconds(90));
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void sparkSubmitOfTheApplicationJarWritesTheRunDirectory() throws Exception {
        Path out = dir.resolve("run");
        List<String> ml3 = new ArrayList<>(List.of("train", "--config", SparkHome.sineConfig().toString(),
                "--out", out.toString()));
        ml3.addAll(ShortSineRun.setOptions());
        try (LaunchedProcess submit = LaunchedProcess.start("spark-submit", SparkSubmitCommand.of(
                List.of("--master", cluster.masterUrl(), "--deploy-mode", "client", "--executor-memory", "512m"), ml3),
                cluster.logDir())) {
            int exit = submit.waitFor(Duration.ofMinutes(4));
            assertEquals(0, exit, "spark-submit exit code; its output ends:\n" + submit.tail(60));
            assertTrue(submit.output().contains("[train] sine-regression"), submit.tail(60));
        }
        double[] phi = RunDirectoryAssertions.assertCompleteRun(out, "sine-regression", 0, ShortSineRun.ITERATIONS);
        assertArrayEquals(ShortSineRun.trainLocally(ShortSineRun.config()).phi(), phi, "phi equals local[2] bit for bit");

        JsonNode app = cluster.masterState().path("completedapps").get(0);
        assertEquals("FINISHED", app.path("state").asText(), "the master's record of the application: " + app);
    }
}
