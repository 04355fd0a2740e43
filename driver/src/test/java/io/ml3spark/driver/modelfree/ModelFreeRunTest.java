package io.ml3spark.driver.modelfree;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Model-free runs end to end on Spark local[2] with the shipped configs, shortened: Fig. 4's
 * direction on a fixed seed for both environments (the learned loss reaches a given return in
 * fewer environment steps than PPO, same policy network, same steps, for several architectures),
 * its figures, and one-line errors for bad settings.
 */
class ModelFreeRunTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private String run(int expected, String config, Path out, String... sets) {
        List<String> args = new ArrayList<>(List.of("train", "--config", "../conf/" + config, "--master", "local[2]",
                "--out", out.toString()));
        for (String s : sets) {
            args.add("--set");
            args.add(s);
        }
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(printed, true));
        try {
            assertEquals(expected, Ml3.execute(new PrintWriter(err, true), args.toArray(String[]::new)), err + "\n" + printed);
        } finally {
            System.setOut(stdout);
        }
        return printed.toString();
    }

    /** A run of {@code config} (300 iterations) meta-tested on 3 new goals x 1 seed; its evaluation's task sets. */
    private JsonNode shortRun(String config, Path dir, String architectures, int ppoRollouts, String setting)
            throws IOException {
        run(0, config, dir, setting, "meta-train.checkpoint-every=300", "model-free.meta-test.targets.drawn=3",
                "model-free.meta-test.seeds=1", "model-free.meta-test.architectures=\"" + architectures + "\"",
                "model-free.meta-test.ppo-rollouts=" + ppoRollouts);
        return new ObjectMapper().readTree(dir.resolve("evaluation.json").toFile()).get("task_sets");
    }

    /**
     * PointmassGoal, 300 outer iterations, 3 new goals x 1 seed, the 2x64 policy and a 1x32 one,
     * 4 PPO rollouts' worth of environment steps (8160): the learned loss's mean curve reaches
     * the given return in fewer steps, and is above PPO's after the first rollout's worth.
     */
    @Test
    void onNewPointmassGoalsTheLearnedLossReachesTheGivenReturnInFewerStepsThanPpo() throws IOException {
        Path dir = tmp.resolve("pointmass");
        JsonNode sets = shortRun("pointmass-model-free.conf", dir, "2x64, 1x32", 4, "meta-train.iterations=300");
        for (String arch : new String[] {"2x64", "1x32"}) {
            JsonNode steps = sets.get("policy-" + arch + "-steps-to-return");
            double learned = steps.get("ml3").get("final_env_steps_to_return_mean").asDouble();
            double ppo = steps.get("baseline").get("final_env_steps_to_return_mean").asDouble();
            JsonNode curves = sets.get("policy-" + arch);
            assertTrue(learned < ppo, arch + ": learned loss " + learned + " steps, PPO " + ppo + "; curves "
                    + curves.get("ml3_curve_mean") + ", " + curves.get("baseline_curve_mean"));
            double l1 = curves.get("ml3_curve_mean").get(1).asDouble();
            double p1 = curves.get("baseline_curve_mean").get(1).asDouble();
            assertTrue(l1 > p1, arch + " after 2040 steps: learned loss " + l1 + ", PPO " + p1);
            assertTrue(Files.size(dir.resolve("returns-" + arch + ".png")) > 1000);
        }
    }

    /**
     * ReacherGoal, on the old arm with its config of that time (test resources {@code legacy-arm/}, as measured
     * before the arm became the reference's), with the shipped meta-training (300 outer iterations, the four goals in two Spark
     * tasks so that both cores work), 3 new targets x 1 seed, all three architectures, 3 PPO
     * rollouts' worth of environment steps (5850). PPO's mean curve barely moves in that budget, so
     * the report's given return (90% of the way to the smaller final) is one both reach at the first
     * checkpoint; the direction asserted is the stronger one: after its first 1950 steps the learned
     * loss is above the best return PPO reaches in all 5850.
     */
    @Test
    void onNewReacherTargetsTheLearnedLossBeatsPpoWithAThirdOfTheSteps() throws IOException {
        Path dir = tmp.resolve("reacher");
        JsonNode sets = shortRun("../driver/src/test/resources/legacy-arm/reacher-model-free.conf", dir, "1x32, 2x64, 3x128", 3, "meta-train.tasks-per-spark-task=2");
        for (String arch : new String[] {"1x32", "2x64", "3x128"}) {
            JsonNode learned = sets.get("policy-" + arch).get("ml3_curve_mean");
            JsonNode ppo = sets.get("policy-" + arch).get("baseline_curve_mean");
            assertEquals(4, ppo.size(), arch + ": " + ppo);
            double ppoBest = Double.NEGATIVE_INFINITY;
            for (JsonNode r : ppo) {
                ppoBest = Math.max(ppoBest, r.asDouble());
            }
            double early = learned.get(1).asDouble();
            assertTrue(early > ppoBest, arch + ": learned loss after 1950 steps " + early + ", PPO's best in 5850 "
                    + ppoBest + "; curves " + learned + ", " + ppo);
            assertTrue(learned.get(3).asDouble() > ppo.get(3).asDouble(), arch + ": finals " + learned + ", " + ppo);
            assertTrue(Files.size(dir.resolve("returns-" + arch + ".png")) > 1000);
        }
    }

    @Test
    void badSettingsFailWithOneLineNamingTheKey() {
        String[][] cases = {
            {"model-free.environment=walker", "model-free.environment"},
            {"model-free.horizon=0", "model-free.horizon"},
            {"model-free.policy.architecture=2y64", "model-free.policy.architecture"},
            {"model-free.meta-test.architectures=\"1x32, 0x8\"", "model-free.meta-test.architectures"},
            {"model-free.inner.episodes=0", "model-free.inner.episodes"},
            {"model-free.meta-objective.episodes=1", "model-free.meta-objective.episodes"},
            {"model-free.inner.learning-rate=0", "model-free.inner.learning-rate"},
            {"model-free.ppo.learning-rate=-3e-4", "model-free.ppo.learning-rate"},
            {"model-free.ppo.clip=0", "model-free.ppo.clip"},
            {"model-free.ppo.steps-per-rollout=0", "model-free.ppo.steps-per-rollout"},
            {"model-free.ppo.minibatches=0", "model-free.ppo.minibatches"},
            {"model-free.ppo.gamma=1.5", "model-free.ppo.gamma"},
        };
        for (String[] c : cases) {
            StringWriter e = new StringWriter();
            assertEquals(2, Ml3.execute(new PrintWriter(e, true), "train", "--config", "../conf/reacher-model-free.conf",
                    "--out", tmp.resolve("never").toString(), "--set", c[0]), c[0]);
            String message = e.toString().trim();
            assertTrue(message.contains(c[1]) && !message.contains("\n"), c[0] + ": " + message);
        }
    }
}
