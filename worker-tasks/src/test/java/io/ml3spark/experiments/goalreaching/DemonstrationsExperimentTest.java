package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.ReacherGoalEnvironment;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.InputScaling;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemonstrationsExperimentTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final long SEED = 4;
    private static final GoalEnvironment REACHER = new ReacherGoalEnvironment(Reacher.REFERENCE);
    private static final double[] START = {0.5, 1.2, 0, 0};
    private static final PdExpert EXPERT = new PdExpert(10, 4);

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    private static double[] fingertip(double q1, double q2) {
        return REACHER.effector(new double[] {q1, q2});
    }

    /** Two demonstrated targets and one test target near the start; small networks. */
    private static DemonstrationsExperiment small(int horizon, int cloningSteps) {
        GoalTasks tasks = GoalTasks.of(REACHER, START, horizon,
                new Mlp(new int[] {8, 6, 2}, Activation.TANH, Activation.IDENTITY, true), new double[] {1, 1, 8, 8, 1, 1, 1, 1}, true);
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {8, 5, 1}, Activation.ELU, Activation.SOFTPLUS, true),
                GoalReachingSettings.lossInput(REACHER, InputScaling.dividing(ones(8)), List.of("goal_q1", "goal_q2")));
        return new DemonstrationsExperiment(tasks, loss, ones(8), new InnerLoop(1, 0.05), EXPERT,
                Targets.of(fingertip(0.6, 1.1), fingertip(0.4, 1.3)), Targets.of(fingertip(0.55, 1.25)), 2, 0.05,
                new DemonstrationsExperiment.Cloning(cloningSteps, 0.01));
    }

    @Test
    void theExpertIsAClippedPdControllerTowardTheGoal() {
        GoalTasks tasks = GoalTasks.of(REACHER, START, 3, new Mlp(new int[] {8, 2}, Activation.TANH, Activation.IDENTITY,
                true), ones(8), true);
        RealRollouts demo = EXPERT.demonstrate(B, tasks, new double[] {0.52, 1.0});
        // At rest: u = kp (goal - q) = (10 * 0.02, 10 * -0.2) = (0.2, -2) -> clipped to (0.2, -1).
        assertArrayEquals(new double[] {0.2, -1.0}, demo.actions()[0][0], 1e-12);
        Tensor next = Reacher.REFERENCE.step(Tensor.constant(B, START, 1, 1, 4), Tensor.constant(B, new double[] {0.2, -1.0}, 1, 1, 2));
        assertArrayEquals(next.toArray(), demo.states()[0][1], 1e-15);
        double[] s1 = demo.states()[0][1];
        double expected = Math.max(-1, Math.min(1, 10 * (0.52 - s1[0]) - 4 * s1[2]));
        assertEquals(expected, demo.actions()[0][1][0], 1e-12);
    }

    @Test
    void theMetaGradientThroughTheClonedDemonstrationMatchesFiniteDifferences() {
        DemonstrationsExperiment x = small(8, 1);
        double[] phi = x.initialPhi(B, SEED);
        int[] tasks = {0, 1};
        MetaGradient g = MetaGradients.of(x, B, phi, SEED, 1, tasks);
        double worst = MetaGradientCheck.worstRelativeError(x, B, phi, SEED, tasks, 2);
        assertTrue(worst < 1e-5, "worst relative error " + worst);
        assertTrue(Arrays.stream(g.gradientSum()).anyMatch(v -> Math.abs(v) > 1e-6), "a meta-gradient that is not zero");
    }

    @Test
    void cloningLowersTheDemonstrationsErrorAndTheBaselineIsTheSameAtEveryStep() {
        DemonstrationsExperiment x = small(20, 200);
        double[] phi = x.initialPhi(B, SEED);
        MetaTestMeasurement untrained = small(20, 1).measure(B, phi, SEED, new MetaTestUnit("test", 0, false));
        MetaTestMeasurement cloned = x.measure(B, phi, SEED, new MetaTestUnit("test", 0, false));
        double[] d = cloned.get(GoalReachingReport.DISTANCE);
        assertEquals(3, d.length);
        assertEquals(d[0], d[2], 0, "the cloned policy does not change with the meta-test's steps");
        assertTrue(d[0] < untrained.get(GoalReachingReport.DISTANCE)[0], "200 Adam steps of cloning get nearer the target: "
                + d[0] + " vs " + untrained.get(GoalReachingReport.DISTANCE)[0]);
        double[] learned = x.measure(B, phi, SEED, new MetaTestUnit("test", 0, true)).get(GoalReachingReport.DISTANCE);
        assertTrue(learned[0] != learned[2], "the learned loss's steps move the policy");
    }

    @Test
    void demonstratedTargetsAreListedNotDrawn() {
        DemonstrationsExperiment x = small(5, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new DemonstrationsExperiment(
                GoalTasks.of(REACHER, START, 5, new Mlp(new int[] {8, 6, 2}, Activation.TANH, Activation.IDENTITY, true),
                        ones(8), true), x.learnedLoss(), ones(8), new InnerLoop(1, 0.05), EXPERT,
                new Targets(List.of(), new TargetRegion(0, 0.1, 0.1, 0.2), 2), Targets.of(fingertip(0.5, 1.2)), 2, 0.05,
                new DemonstrationsExperiment.Cloning(1, 0.01)));
        assertTrue(e.getMessage().contains("listed"), e.getMessage());
        assertEquals(2, x.tasksPerIteration());
    }
}
