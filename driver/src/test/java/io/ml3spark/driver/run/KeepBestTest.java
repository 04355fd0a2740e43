package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.nn.ParameterLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ml3spark.driver.run.ResumeTest.args;
import static io.ml3spark.driver.run.ResumeTest.phi;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code meta-train.keep = best}: the learned loss written is the phi whose iteration reported
 * the lowest task loss in metrics.csv (the phi before that iteration's step), and a resumed
 * run keeps the best of the iterations before the interruption.
 */
class KeepBestTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int train(String... args) {
        return Ml3.execute(new PrintWriter(err, true), args);
    }

    @Test
    void keptPhiIsTheLowestTaskLossIterationsAndSurvivesResume() throws IOException {
        Path best = tmp.resolve("best");
        assertEquals(0, train(args(ResumeTest.SETTINGS, "--out", best.toString(), "--set", "meta-train.iterations=12",
                "--set", "meta-train.keep=best")), err.toString());
        List<String> rows = Files.readAllLines(best.resolve("metrics.csv"));
        int lowest = 0;
        double lowestLoss = Double.POSITIVE_INFINITY;
        for (String row : rows.subList(1, rows.size())) {
            String[] cells = row.split(",");
            if (Double.parseDouble(cells[1]) < lowestLoss) {
                lowestLoss = Double.parseDouble(cells[1]);
                lowest = Integer.parseInt(cells[0]);
            }
        }
        assertTrue(lowest > 1, "the best must come after some training, got iteration " + lowest);

        Path last = tmp.resolve("last");
        assertEquals(0, train(args(ResumeTest.SETTINGS, "--out", last.toString(), "--set",
                "meta-train.iterations=" + (lowest - 1))), err.toString());
        assertArrayEquals(phi(last), phi(best), "kept phi = phi after iteration " + (lowest - 1));
        assertFalse(java.util.Arrays.equals(phi(last), lastPhiOf(best)), "the last phi differs from the kept one");

        Path split = tmp.resolve("split");
        assertEquals(0, train(args(ResumeTest.SETTINGS, "--out", split.toString(), "--set", "meta-train.iterations=8",
                "--set", "meta-train.keep=best")), err.toString());
        assertEquals(0, train("train", "--resume", split.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=12"), err.toString());
        assertArrayEquals(phi(best), phi(split), "a resumed run keeps the same best phi");
    }

    @Test
    void trainEvaluatesTheKeptPhiNotTheLast() throws IOException {
        String[] settings = java.util.Arrays.stream(ResumeTest.SETTINGS).filter(a -> !a.equals("--skip-evaluation"))
                .toArray(String[]::new);
        Path run = tmp.resolve("run");
        assertEquals(0, train(args(settings, "--out", run.toString(), "--set", "meta-train.iterations=8",
                "--set", "meta-train.keep=best", "--set", "sine-regression.meta-test.steps=5")), err.toString());
        String afterTrain = withoutLossPath(Files.readString(run.resolve("evaluation.json")));
        Path again = tmp.resolve("again");
        assertEquals(0, train("evaluate", "--config", run.resolve("config.conf").toString(), "--master", "local[2]",
                "--loss", run.resolve("learned-loss.safetensors").toString(), "--out", again.toString()), err.toString());
        assertEquals(afterTrain, withoutLossPath(Files.readString(again.resolve("evaluation.json"))));
    }

    /** evaluation.json names the learned-loss file, which each command spells its own way. */
    private static String withoutLossPath(String json) {
        return json.replaceAll("\"learned_loss\" : \"[^\"]*\"", "");
    }

    @Test
    void unknownKeepValueIsAConfigErrorNamingTheKey() {
        assertEquals(2, train(args(ResumeTest.SETTINGS, "--out", tmp.resolve("x").toString(),
                "--set", "meta-train.keep=first")));
        assertTrue(err.toString().contains("meta-train.keep") && err.toString().contains("last or best"), err.toString());
    }

    private static double[] lastPhiOf(Path run) throws IOException {
        List<Path> checkpoints;
        try (var files = Files.list(run.resolve("checkpoints"))) {
            checkpoints = files.sorted().toList();
        }
        Path newest = checkpoints.get(checkpoints.size() - 1);
        ParameterLayout layout = RunConfig.load(run.resolve("config.conf").toFile(), List.of()).experiment().learnedLoss()
                .layout();
        return Checkpoints.decode(Files.readAllBytes(newest), newest.toString(), layout).state().phi();
    }
}
