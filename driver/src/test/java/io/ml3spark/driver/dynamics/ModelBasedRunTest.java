package io.ml3spark.driver.dynamics;

import io.ml3spark.driver.Ml3;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.ModelRefits;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.format.LearnedLossFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-based runs end to end on Spark local[2]: the dynamics model refitted every
 * refit-every iterations and saved per refit, a resumed run bit-identical to an uninterrupted
 * one (its model included), a corrupt refit named, and the claims' direction on short runs.
 */
class ModelBasedRunTest {
    private static final String[] SHORT = {"--master", "local[2]", "--set", "goal-reaching.dynamics.refit-every=10",
        "--set", "goal-reaching.dynamics.fit.epochs=20", "--set", "meta-train.checkpoint-every=4",
        "--set", "goal-reaching.train-targets.drawn=2", "--set", "meta-train.tasks-per-spark-task=1"};

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private static String[] args(String config, String[] first, String... more) {
        List<String> all = new java.util.ArrayList<>(List.of("train", "--config", "../conf/" + config));
        all.addAll(List.of(first));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

    /** Runs the command line and returns what it printed; its exit code must be {@code expected}. */
    private String run(int expected, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true));
        try {
            assertEquals(expected, Ml3.execute(new PrintWriter(err, true), args), err + "\n" + out);
        } finally {
            System.setOut(stdout);
        }
        return out.toString();
    }

    private static double[] phi(Path run) throws IOException {
        return LearnedLossFile.decode(Files.readAllBytes(run.resolve("learned-loss.safetensors")), run.toString()).phi();
    }

    private static List<double[]> members(Path run, int iteration) throws IOException {
        ModelBasedExperiment e = (ModelBasedExperiment) RunConfig.load(new File("../conf/pointmass-mbrl.conf"),
                List.of()).experiment();
        Path file = run.resolve(DynamicsFile.name(iteration));
        return DynamicsFile.decode(Files.readAllBytes(file), file.toString(), e.dynamicsModel(), e.ensembleMembers())
                .members();
    }

    @Test
    void aResumedRunRefitsAndEndsBitIdenticalToAnUninterruptedOne() throws IOException {
        Path whole = tmp.resolve("whole");
        run(0, args("pointmass-mbrl.conf", SHORT, "--skip-evaluation", "--out", whole.toString(),
                "--set", "meta-train.iterations=24"));
        assertEquals(List.of("iter-000000.safetensors", "iter-000010.safetensors", "iter-000020.safetensors"),
                Files.list(whole.resolve(DynamicsFile.DIR)).map(p -> p.getFileName().toString()).sorted().toList());
        List<String> report = Files.readAllLines(whole.resolve(ModelRefits.REPORT));
        assertEquals(4, report.size(), String.join("\n", report));
        assertTrue(report.get(0).startsWith("iteration,transitions,rollouts_added,held_out_one_step_rmse"), report.get(0));
        assertTrue(report.get(1).startsWith("0,120,3,,,"), "no model before the first refit: " + report.get(1));
        assertTrue(report.get(2).startsWith("10,200,2,"), "2 goals' rollouts of 40 steps added: " + report.get(2));
        String checkpoint = run(0, "evaluate", "--loss", whole.resolve("checkpoints/iter-000016.safetensors").toString(),
                "--config", whole.resolve("config.conf").toString(), "--master", "local[2]",
                "--out", tmp.resolve("after-16").toString(), "--set", "goal-reaching.meta-test.targets.drawn=2");
        assertTrue(checkpoint.contains("dynamics/iter-000010.safetensors (refitted after iteration 10)"),
                "a checkpoint's meta-test uses the model of its own time, not the newest (20): " + checkpoint);

        Path split = tmp.resolve("split");
        run(0, args("pointmass-mbrl.conf", SHORT, "--skip-evaluation", "--out", split.toString(),
                "--set", "meta-train.iterations=14"));
        String resumed = run(0, "train", "--resume", split.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=24");
        assertTrue(resumed.contains("resuming") && resumed.contains("after iteration 14"), resumed);
        assertTrue(resumed.contains("dynamics model of the refit after iteration 10"), resumed);
        assertArrayEquals(phi(whole), phi(split), "phi after resume must be bit-identical");
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(members(whole, 20).get(i), members(split, 20).get(i), "member " + i + " of the last refit");
        }
    }

    @Test
    void aCorruptRefitStopsTheResumeNamingItsFile() throws IOException {
        Path split = tmp.resolve("split");
        run(0, args("pointmass-mbrl.conf", SHORT, "--skip-evaluation", "--out", split.toString(),
                "--set", "meta-train.iterations=14"));
        Path refit = split.resolve(DynamicsFile.name(10));
        byte[] bytes = Files.readAllBytes(refit);
        Files.write(refit, Arrays.copyOf(bytes, bytes.length - 100));
        run(1, "train", "--resume", split.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=24");
        assertTrue(err.toString().contains("dynamics/iter-000010.safetensors"), err.toString());
    }

    @Test
    void evaluateUsesOnlyTheDynamicsModelOfTheLossesOwnRun() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path dir : List.of(a, b)) {
            run(0, args("pointmass-mbrl.conf", SHORT, "--skip-evaluation", "--out", dir.toString(),
                    "--set", "meta-train.iterations=11", "--set", "seed=" + (dir == a ? 0 : 1)));
        }
        String runA = new com.fasterxml.jackson.databind.ObjectMapper().readTree(a.resolve("run.json").toFile())
                .get("run_id").asText();
        assertEquals(runA, LearnedLossFile.decode(Files.readAllBytes(a.resolve("learned-loss.safetensors")), "a")
                .runId(), "the learned-loss file records its run");
        String[] evaluate = {"evaluate", "--config", a.resolve("config.conf").toString(), "--master", "local[2]",
            "--set", "goal-reaching.meta-test.targets.drawn=1", "--set", "goal-reaching.meta-test.steps=1"};

        Files.copy(a.resolve("learned-loss.safetensors"), b.resolve("from-a.safetensors"));
        run(1, concat(evaluate, "--loss", b.resolve("from-a.safetensors").toString(), "--out",
                tmp.resolve("e1").toString()));
        assertTrue(err.toString().contains("which is not its run's directory"), err.toString());

        Files.copy(b.resolve(DynamicsFile.name(10)), a.resolve(DynamicsFile.name(10)),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        run(1, concat(evaluate, "--loss", a.resolve("learned-loss.safetensors").toString(), "--out",
                tmp.resolve("e2").toString()));
        assertTrue(err.toString().contains("dynamics/iter-000010.safetensors belongs to run ")
                && err.toString().contains("not to the loss's run (" + runA + ")"), err.toString());
    }

    /** {@code first} followed by {@code more}. */
    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    @Test
    void aDivergingModelIsReportedAndNeverUsed() {
        Path dir = tmp.resolve("diverged");
        run(1, args("pointmass-mbrl.conf", SHORT, "--out", dir.toString(), "--set", "meta-train.iterations=5",
                "--set", "goal-reaching.dynamics.fit.epochs=3", "--set", "goal-reaching.dynamics.fit.learning-rate=1e300"));
        assertTrue(err.toString().contains("the dynamics model refitted after iteration 0 diverged")
                && err.toString().contains("it was not used"), err.toString());
        assertTrue(!Files.exists(dir.resolve(DynamicsFile.name(0))), "no diverged model is saved");
    }

    /**
     * Fig. 3's direction on a short fixed-seed PointmassGoal run: on goals from a region
     * disjoint from the training goals, the learned loss's policies end nearer than the task
     * loss's (through the learned model) after the one SGD step the loss was meta-trained for.
     * {@code evaluate} into another directory meta-tests with the run's newest model.
     */
    @Test
    void onNewPointmassGoalsTheLearnedLossBeatsTheTaskLossInOneStep() throws IOException {
        Path dir = tmp.resolve("pointmass");
        String out = run(0, args("pointmass-mbrl.conf", new String[] {"--master", "local[2]"}, "--out", dir.toString(),
                "--set", "meta-train.iterations=150", "--set", "goal-reaching.dynamics.refit-every=75",
                "--set", "goal-reaching.dynamics.fit.epochs=100", "--set", "goal-reaching.meta-test.steps=2",
                "--set", "goal-reaching.meta-test.targets.drawn=5", "--set", "meta-train.checkpoint-every=75"));
        assertTrue(out.contains("dynamics model: " + dir.toUri().toString().replace("file:///", "file:/")
                + "dynamics/iter-000075.safetensors"), out);
        double[][] curves = meanCurves(dir);
        assertTrue(curves[0][1] < curves[1][1], "after 1 step: learned " + curves[0][1] + ", task loss " + curves[1][1]);
        Path elsewhere = tmp.resolve("evaluated-elsewhere");
        String evaluated = run(0, "evaluate", "--loss", dir.resolve("learned-loss.safetensors").toString(), "--config",
                dir.resolve("config.conf").toString(), "--master", "local[2]", "--out", elsewhere.toString());
        assertTrue(evaluated.contains("dynamics/iter-000075.safetensors (refitted after iteration 75)"), evaluated);
        assertArrayEquals(curves[0], meanCurves(elsewhere)[0]);
    }

    /**
     * The same on ReacherGoal on its test target and 2 more, as measured before the arm became the reference's: on
     * the old arm, from the config of that time (test resources {@code legacy-arm/}).
     */
    @Test
    void onNewReacherTargetsTheLearnedLossBeatsTheTaskLossInTwoSteps() throws IOException {
        Path dir = tmp.resolve("reacher");
        run(0, args("../driver/src/test/resources/legacy-arm/reacher-mbrl.conf", new String[] {"--master", "local[2]"}, "--out", dir.toString(),
                "--set", "meta-train.iterations=100", "--set", "goal-reaching.dynamics.refit-every=50",
                "--set", "goal-reaching.dynamics.fit.epochs=100", "--set", "goal-reaching.meta-test.steps=2",
                "--set", "goal-reaching.meta-test.targets.drawn=2", "--set", "meta-train.checkpoint-every=50"));
        double[][] curves = meanCurves(dir);
        for (int step = 1; step <= 2; step++) {
            assertTrue(curves[0][step] < curves[1][step], "after " + step + " steps: learned " + curves[0][step]
                    + ", task loss " + curves[1][step]);
        }
    }

    /** The mean final distance over the test targets after 0, 1, .. steps: learned loss, then task loss. */
    private static double[][] meanCurves(Path dir) throws IOException {
        com.fasterxml.jackson.databind.JsonNode test = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(dir.resolve("evaluation.json").toFile()).get("task_sets").get("test");
        return new double[][] {numbers(test.get("ml3_curve_mean")), numbers(test.get("baseline_curve_mean"))};
    }

    private static double[] numbers(com.fasterxml.jackson.databind.JsonNode array) {
        double[] v = new double[array.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = array.get(i).asDouble();
        }
        return v;
    }

    @Test
    void badSettingsFailWithOneLineNamingTheKey() {
        String[][] cases = {
            {"goal-reaching.environment=walker", "goal-reaching.environment"},
            {"goal-reaching.horizon=0", "goal-reaching.horizon"},
            {"goal-reaching.train-targets.listed=[0.5, 0.5]", "goal-reaching.train-targets.listed"},
            {"goal-reaching.dynamics.members=0", "goal-reaching.dynamics.members"},
            {"goal-reaching.meta-test.task-loss-gradients=oracle", "goal-reaching.meta-test.task-loss-gradients"},
            {"goal-reaching.meta-test.targets.region=[0.5, 0.6, 0.5, 0.6]", "goal-reaching.meta-test.targets.region"},
        };
        for (String[] c : cases) {
            StringWriter e = new StringWriter();
            assertEquals(2, Ml3.execute(new PrintWriter(e, true), "train", "--config", "../conf/reacher-mbrl.conf",
                    "--out", tmp.resolve("never").toString(), "--set", c[0]), c[0]);
            String message = e.toString().trim();
            assertTrue(message.contains(c[1]) && !message.contains("\n"), c[0] + ": " + message);
        }
        StringWriter e = new StringWriter();
        Ml3.execute(new PrintWriter(e, true), "train", "--config", "../conf/reacher-mbrl.conf", "--out",
                tmp.resolve("never").toString(), "--set", "goal-reaching.train-targets.listed=[0.5, 0.5]");
        assertTrue(e.toString().contains("outside the reach"), e.toString());
    }
}
