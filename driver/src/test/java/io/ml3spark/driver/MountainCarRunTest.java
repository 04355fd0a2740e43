package io.ml3spark.driver;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.mountaincar.MountainCarExperiment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The MountainCar configs through the standard commands: run directory, figures, config errors. */
class MountainCarRunTest {
    private static final String SHAPED = "../conf/mountain-car.conf";
    private static final String UNSHAPED = "../conf/mountain-car-no-intermediate-goal.conf";
    private static final String LEAKY = "../conf/mountain-car-leaky.conf";
    private static final String EVOLUTION_STRATEGY = "../conf/mountain-car-es.conf";
    private static final String FIXED_POINT = "../conf/mountain-car-fixed-point.conf";

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    @Test
    void trainWritesPositionOverTimeBesideTheStandardOutputs() throws IOException {
        Path runDir = tmp.resolve("run");
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", SHAPED, "--master", "local[1]",
                "--out", runDir.toString(), "--set", "meta-train.iterations=2"), err.toString());
        JsonNode eval = new ObjectMapper().readTree(runDir.resolve("evaluation.json").toFile());
        assertEquals("end_position", eval.path("task_sets").path("test").path("metric").asText());
        assertEquals(3, eval.path("task_sets").path("test").path("ml3_curve_mean").size());
        assertEquals(-0.55, eval.path("task_sets").path("test-lowest").path("ml3_curve_mean").path(0).asDouble(), 0.5);
        byte[] png = Arrays.copyOf(Files.readAllBytes(runDir.resolve("position-over-time.png")), 4);
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, png);
        List<String> csv = Files.readAllLines(runDir.resolve("position-over-time.csv"));
        assertEquals("series,x,y", csv.get(0));
        assertEquals("\"initial policy\",0.0,-0.55", csv.get(1));
        // initial policy, 2 learned-loss steps, the baseline, the goal and the intermediate goal: 36 points each
        assertEquals(1 + 6 * 36, csv.size());
    }

    @Test
    void theTwoConfigsDifferOnlyInTheIntermediateGoal() {
        MountainCarExperiment shaped = (MountainCarExperiment) RunConfig.load(Path.of(SHAPED).toFile(), List.of()).experiment();
        MountainCarExperiment unshaped = (MountainCarExperiment) RunConfig.load(Path.of(UNSHAPED).toFile(), List.of()).experiment();
        assertEquals(15, shaped.taskLoss().intermediateSteps());
        assertEquals(0, unshaped.taskLoss().intermediateSteps());
        assertArrayEquals(shaped.taskLoss().goal(), unshaped.taskLoss().goal());
    }

    @Test
    void badActionBoundNamesTheKey() {
        assertConfigErrorNames("mountain-car.action-bound", "sometimes", "clamp or tanh");
    }

    @Test
    void evolutionStrategyStageFineTunesTheLeakyStagesLoss() throws IOException {
        String loss = leakyStageLoss();
        Path second = tmp.resolve("es");
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", EVOLUTION_STRATEGY,
                "--master", "local[2]", "--skip-evaluation", "--out", second.toString(), "--set", "meta-train.iterations=2",
                "--set", "mountain-car.meta-train-tasks.evolution-strategy.pairs=4",
                "--set", "meta-train.init-from=\"" + loss + "\""), err.toString());
        List<String> metrics = Files.readAllLines(second.resolve("metrics.csv"));
        assertEquals(3, metrics.size(), metrics.toString());
        assertEquals("4", metrics.get(1).split(",")[2], "4 antithetic pairs = 4 tasks: " + metrics);

        MountainCarExperiment es = (MountainCarExperiment) RunConfig.load(Path.of(EVOLUTION_STRATEGY).toFile(),
                List.of()).experiment();
        assertEquals(20, es.tasksPerIteration());
    }

    @Test
    void badMetaGradientNamesTheKey() {
        assertConfigErrorNames("mountain-car.meta-train-tasks.meta-gradient", "guess",
                "backprop, evolution-strategy or fixed-point");
    }

    @Test
    void fixedPointStageKeepsItsBestPhiAndHoldsTheFirstStep() throws IOException {
        String loss = leakyStageLoss();
        Path second = tmp.resolve("fixed-point");
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(out, true));
        try {
            assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", FIXED_POINT,
                    "--master", "local[1]", "--skip-evaluation", "--out", second.toString(),
                    "--set", "meta-train.iterations=3", "--set", "meta-train.init-from=\"" + loss + "\""), err.toString());
        } finally {
            System.setOut(stdout);
        }
        java.util.regex.Matcher kept = java.util.regex.Pattern.compile(
                "keeping the phi that metrics.csv row (\\d+) evaluated \\(phi after (\\d+) iterations\\): its mean task loss .* was the lowest")
                .matcher(out.toString());
        assertTrue(kept.find(), out.toString());
        List<String> metrics = Files.readAllLines(second.resolve("metrics.csv"));
        assertEquals(4, metrics.size(), metrics.toString());
        int lowestRow = 1;
        for (int row = 2; row < metrics.size(); row++) {
            if (Double.parseDouble(metrics.get(row).split(",")[1]) < Double.parseDouble(metrics.get(lowestRow).split(",")[1])) {
                lowestRow = row;
            }
        }
        assertEquals(lowestRow, Integer.parseInt(kept.group(1)), "the message names metrics.csv's lowest row");
        assertEquals(lowestRow - 1, Integer.parseInt(kept.group(2)));
        assertEquals("1", metrics.get(1).split(",")[2], "one task: the run's fixed initial policy");
    }

    @Test
    void badLearnedLossActionNamesTheKey() {
        assertConfigErrorNames("mountain-car.learned-loss.action", "raw", "clipped or policy-output");
    }

    /** A 2-iteration first (leaky) stage; the path of its learned loss, to start a second stage from. */
    private String leakyStageLoss() {
        Path first = tmp.resolve("leaky");
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), "train", "--config", LEAKY, "--master", "local[2]",
                "--skip-evaluation", "--out", first.toString(), "--set", "meta-train.iterations=2"), err.toString());
        return first.resolve("learned-loss.safetensors").toString();
    }

    private void assertConfigErrorNames(String key, String value, String expected) {
        assertEquals(2, Ml3.execute(new PrintWriter(err, true), "train", "--config", SHAPED, "--out",
                tmp.resolve("never").toString(), "--set", key + "=" + value));
        assertTrue(err.toString().contains(key), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
    }
}
