package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.PointmassGoalEnvironment;
import io.ml3spark.environments.ReacherGoalEnvironment;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.experiments.InputScaling;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GoalReachingExperimentTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final long SEED = 3;
    private static final GoalEnvironment POINTMASS = new PointmassGoalEnvironment(PointMass.EXTRAS);
    private static final TargetRegion UPPER = new TargetRegion(-1, 1, 0.25, 1);
    private static final TargetRegion LOWER = new TargetRegion(-1, 1, -1, -0.25);

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    /** A small PointmassGoal: 6 steps, small networks, a large inner learning rate so the second order matters. */
    private static GoalReachingExperiment small(Targets train) {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {7, 5, 1}, Activation.ELU, Activation.SOFTPLUS, true),
                GoalReachingSettings.lossInput(POINTMASS, InputScaling.dividing(ones(7)), List.of("goal_distance")));
        ProbabilisticDynamics model = new ProbabilisticDynamics(new Mlp(new int[] {6, 8, 4}, Activation.TANH,
                Activation.IDENTITY, true), ones(6), 2, PointMass.EXTRAS.dt());
        return new GoalReachingExperiment(GoalTasks.of(POINTMASS, new double[4], 6,
                new Mlp(new int[] {8, 6, 2}, Activation.TANH, Activation.IDENTITY, true), ones(8), true), loss, ones(7),
                true, new InnerLoop(1, 0.5), new GoalReachingLoss(2, 10, 1, 1e-4), train,
                new Targets(List.of(), LOWER, 3), new GoalReachingExperiment.GoalMetaTest(2, 0.5,
                        GoalReachingExperiment.Gradients.ACTIONS, GoalReachingExperiment.Gradients.MODEL),
                new GoalReachingExperiment.LearnedDynamics(model, new DynamicsFit(1e-3, 1, 8), 2, 2, 10, 3, 4));
    }

    private static GoalReachingExperiment withRandomModel(GoalReachingExperiment x) {
        SplittableRandom rng = new SplittableRandom(5);
        List<double[]> members = new ArrayList<>();
        for (int m = 0; m < x.ensembleMembers(); m++) {
            members.add(x.dynamicsModel().initialParameters(B, rng));
        }
        return x.withEnsemble(x.ensemble(members));
    }

    private static final Targets TWO_LISTED = new Targets(
            List.of(new double[] {0.5, 0.3}, new double[] {-0.4, 0.6}), null, 0);

    @Test
    void theMetaGradientThroughTheLearnedModelMatchesFiniteDifferences() {
        GoalReachingExperiment x = withRandomModel(small(TWO_LISTED));
        double[] phi = x.initialPhi(B, SEED);
        int[] tasks = {0, 1};
        MetaGradient g = MetaGradients.of(x, B, phi, SEED, 1, tasks);
        assertEquals(2, g.tasks());
        double worst = MetaGradientCheck.worstRelativeError(x, B, phi, SEED, tasks, 3);
        assertTrue(worst < 1e-5, "worst relative error " + worst);
        assertTrue(Arrays.stream(g.gradientSum()).anyMatch(v -> Math.abs(v) > 1e-4), "a meta-gradient that is not zero");
    }

    @Test
    void theBenchmarksFlopCountIsTheMatrixProductsOfRolloutsAndLearnedLoss() {
        // horizon 6; policy 8-6-2: 60 multiply-adds a step; 2 members of 6-8-4: 160; learned loss 7-5-1: 40.
        assertEquals(2 * (8 * 6 * (60 + 160) + 6 * 6 * 40),
                io.ml3spark.bench.ModelBasedMetaGradientBenchmark.flopsPerTask(small(TWO_LISTED)), 0);
    }

    @Test
    void withoutStateGradientThePolicyReadsItsStateAsData() {
        GoalTasks detached = GoalTasks.of(POINTMASS, new double[4], 3,
                new Mlp(new int[] {8, 6, 2}, Activation.TANH, Activation.IDENTITY, true), ones(8), false);
        GoalTasks through = GoalTasks.of(POINTMASS, new double[4], 3,
                new Mlp(new int[] {8, 6, 2}, Activation.TANH, Activation.IDENTITY, true), ones(8), true);
        io.ml3spark.autodiff.Tensor state = io.ml3spark.autodiff.Tensor.constant(B, new double[] {0.1, 0.2, 0.3, 0.4}, 1, 1, 4)
                .asVariable();
        var theta = detached.initialPolicy(B, SEED, 1);
        double[] goal = {0.5, 0.5};
        var g = io.ml3spark.autodiff.Autograd.grad(through.policyFor(goal).predict(theta, state).sum(), List.of(state),
                false, true).get(0);
        var none = io.ml3spark.autodiff.Autograd.grad(detached.policyFor(goal).predict(theta, state).sum(), List.of(state),
                false, true).get(0);
        assertTrue(Arrays.stream(g.toArray()).anyMatch(v -> v != 0), "through the state input");
        assertTrue(none == null || Arrays.stream(none.toArray()).allMatch(v -> v == 0), "no gradient to the state");
        assertArrayEquals(through.policyFor(goal).predict(theta, state).toArray(),
                detached.policyFor(goal).predict(theta, state).toArray(), "the same actions");
    }

    @Test
    void tasksNeedAFittedModel() {
        GoalReachingExperiment x = small(TWO_LISTED);
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> x.tasks(B, SEED, 1, new int[] {0}));
        assertTrue(e.getMessage().contains("no dynamics model has been fitted yet"), e.getMessage());
    }

    @Test
    void theLearnedLossNamesItsScaledFeatures() {
        GoalEnvironment reacher = new ReacherGoalEnvironment(Reacher.REFERENCE);
        assertEquals(List.of("q1", "q2", "dq1_div8", "dq2_div8", "tau1", "tau2", "goal_distance"),
                GoalReachingSettings.lossInput(reacher, InputScaling.dividing(1, 1, 8, 8, 1, 1, 1), List.of("goal_distance")).names());
        assertEquals(List.of("q1", "q2", "dq1_x8", "dq2_x8", "tau1", "tau2", "goal_distance"), GoalReachingSettings.lossInput(
                reacher, new InputScaling(new double[] {1, 1, 8, 8, 1, 1, 1}, false), List.of("goal_distance")).names());
        assertEquals(List.of("x", "y", "vx_div0p5", "vy", "fx", "fy", "goal_distance"),
                GoalReachingSettings.lossInput(POINTMASS, InputScaling.dividing(1, 1, 0.5, 1, 1, 1, 1), List.of("goal_distance")).names());
    }

    @Test
    void trainTargetsAreDrawnPerIterationAndTestTargetsAreTheSameForEverySeed() {
        GoalReachingExperiment x = small(new Targets(List.of(), UPPER, 4));
        assertEquals(4, x.tasksPerIteration());
        double[] a = x.trainTarget(SEED, 1, 0);
        assertArrayEquals(a, x.trainTarget(SEED, 1, 0));
        assertFalse(Arrays.equals(a, x.trainTarget(SEED, 2, 0)), "another iteration, another goal");
        assertFalse(Arrays.equals(a, x.trainTarget(SEED + 1, 1, 0)), "another seed, another goal");
        for (int it = 1; it < 50; it++) {
            assertTrue(UPPER.contains(x.trainTarget(SEED, it, it % 4)));
        }
        List<double[]> test = x.testTargets();
        assertEquals(3, test.size());
        for (double[] t : test) {
            assertTrue(LOWER.contains(t) && !UPPER.contains(t));
        }
        GoalReachingExperiment again = small(TWO_LISTED);
        for (int i = 0; i < test.size(); i++) {
            assertArrayEquals(test.get(i), again.testTargets().get(i));
        }
    }

    @Test
    void aReacherTargetOutOfReachIsRefusedAndRegionsDrawOnlyReachableOnes() {
        GoalEnvironment reacher = new ReacherGoalEnvironment(Reacher.REFERENCE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> reacher.goalOf(new double[] {0.3, 0}));
        assertTrue(e.getMessage().contains("outside the reach [0.0100, 0.2100]"), e.getMessage());
        TargetRegion box = new TargetRegion(-0.25, 0.25, -0.25, 0.25);
        SplittableRandom rng = new SplittableRandom(1);
        for (int i = 0; i < 100; i++) {
            double[] t = box.draw(reacher, rng);
            double r = Math.hypot(t[0], t[1]);
            assertTrue(r <= 0.21 + 1e-12 && r >= 0.01 - 1e-12, "radius " + r);
            double[] q = reacher.goalOf(t);
            assertArrayEquals(t, reacher.effector(q), 1e-12);
        }
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new TargetRegion(0.5, 0.6, 0.5, 0.6).draw(reacher, new SplittableRandom(1)));
        assertTrue(none.getMessage().contains("is reachable in reacher"), none.getMessage());
    }

    @Test
    void randomActionRolloutsGiveTheModelsTransitions() {
        GoalReachingExperiment x = small(TWO_LISTED);
        RealRollouts r = x.newRollouts(B, null, SEED, 0);
        assertEquals(2, r.count());
        double[][] in = r.inputs();
        double[][] dv = r.velocityChanges(2);
        assertEquals(2 * 6, in.length);
        assertEquals(6, in[0].length);
        for (int i = 0; i < in.length; i++) {
            int episode = i / 6;
            int t = i % 6;
            assertArrayEquals(r.states()[episode][t], Arrays.copyOfRange(in[i], 0, 4));
            assertTrue(Math.abs(in[i][4]) <= 1 && Math.abs(in[i][5]) <= 1, "forces within the limits");
            assertEquals(r.states()[episode][t + 1][2] - r.states()[episode][t][2], dv[i][0], 0);
            assertEquals(r.states()[episode][t + 1][3] - r.states()[episode][t][3], dv[i][1], 0);
        }
        assertArrayEquals(new double[4], r.states()[0][0]);
    }

    @Test
    void laterRolloutsAreThePolicyAfterItsInnerStepOnTheLearnedLoss() {
        GoalReachingExperiment x = withRandomModel(small(TWO_LISTED));
        double[] phi = x.initialPhi(B, SEED);
        RealRollouts a = x.newRollouts(B, phi, SEED, 10);
        assertEquals(2, a.count(), "one rollout per training goal");
        double[] other = phi.clone();
        for (int i = 0; i < other.length; i++) {
            other[i] *= 1.5;
        }
        RealRollouts b = x.newRollouts(B, other, SEED, 10);
        assertNotEquals(Arrays.deepToString(a.states()), Arrays.deepToString(b.states()), "the rollouts depend on phi");
        assertEquals(Arrays.deepToString(a.states()), Arrays.deepToString(x.newRollouts(B, phi, SEED, 10).states()));
    }

    @Test
    void anExperimentWithItsModelSurvivesSerialisation() throws Exception {
        GoalReachingExperiment x = withRandomModel(small(TWO_LISTED));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(x);
        }
        GoalReachingExperiment copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (GoalReachingExperiment) in.readObject();
        }
        double[] phi = x.initialPhi(B, SEED);
        assertArrayEquals(MetaGradients.of(x, B, phi, SEED, 1, new int[] {0, 1}).gradientSum(),
                MetaGradients.of(copy, B, phi, SEED, 1, new int[] {0, 1}).gradientSum());
    }
}
