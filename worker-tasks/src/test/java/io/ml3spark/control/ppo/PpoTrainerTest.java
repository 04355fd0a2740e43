package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.PointmassGoalEnvironment;
import io.ml3spark.environments.ReacherGoalEnvironment;
import io.ml3spark.experiments.goalreaching.TargetRegion;
import io.ml3spark.experiments.goalreaching.Targets;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation of the PPO baseline on PointmassGoal, on the meta-test goals of
 * {@code conf/pointmass-model-free.conf} (the first {@code ppo.goals}, default 2; all 10 for
 * the report): CleanRL's settings, 60 rollouts of 2040 steps from the start at rest; each
 * goal's final return must close at least 90% of the gap between the initial policy's and the
 * open-loop optimum's (trajectory optimisation of the actions through the differentiable
 * simulator). Measured: 98-100% on each of the 10 goals (goal 0: -26.0 to -8.3 against -8.3),
 * 14-19 s a goal.
 */
class PpoTrainerTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @Test
    void ppoClosesNinetyPercentOfTheGapToTheOpenLoopOptimumOnTheMetaTestGoals() {
        GoalEnvironment env = new PointmassGoalEnvironment(PointMass.EXTRAS);
        List<double[]> targets = new Targets(List.of(), new TargetRegion(-1, 1, -1, 1), 10).testTargets(env);
        int horizon = 40;
        double[] ones = new double[8];
        Arrays.fill(ones, 1);
        GaussianPolicy policy = new GaussianPolicy(new GoalConditionedPolicy(new Mlp(new int[] {8, 64, 64, 2},
                Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, ones, new double[4], 4, true), 0.0);
        Mlp value = new Mlp(new int[] {8, 64, 64, 1}, Activation.TANH, Activation.IDENTITY, true);
        int rollouts = Integer.getInteger("ppo.rollouts", 60);
        int goals = Integer.getInteger("ppo.goals", 2);
        for (int g = 0; g < goals; g++) {
            double[] goal = env.goalOf(targets.get(g));
            long t0 = System.nanoTime();
            double[] returns = new PpoTrainer(PointMass.EXTRAS, new double[4], horizon, policy, value, PpoSettings.CLEANRL)
                    .train(B, goal, rollouts, 1).sampledReturns();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double optimum = new OpenLoopOptimum(300, 0.05).of(B, PointMass.EXTRAS, new double[4], horizon, 2, goal);
            double closed = (returns[rollouts - 1] - returns[0]) / (optimum - returns[0]);
            System.out.printf("PPO, goal %d (%.3f, %.3f): return %.3f -> %.3f over %d rollouts (%.1f s), optimum %.3f:"
                    + " %.0f%% of the gap%n", g, goal[0], goal[1], returns[0], returns[rollouts - 1], rollouts, seconds,
                    optimum, 100 * closed);
            assertTrue(closed >= 0.9, "goal " + g + ": closed " + closed);
        }
    }

    /**
     * The same on ReacherGoal, the reference's arm, on the meta-test goals of {@code conf/reacher-model-free.conf}
     * (the first {@code ppo.reacher.goals}, default 1; all 10 for the report): start at rest at q = 0, 65 steps,
     * inputs divided by [1, 1, 8, 8, 1, 1, 1, 1]. The optimum is the better of the open-loop optimum and the
     * computed-torque PD controller of {@code ReacherReferenceTest} (400, 40), whose return is a trajectory the
     * arm can follow.
     */
    @Test
    void ppoClosesNinetyPercentOfTheGapOnTheReachersMetaTestGoals() {
        Reacher arm = Reacher.REFERENCE;
        GoalEnvironment env = new ReacherGoalEnvironment(arm);
        List<double[]> targets = new Targets(List.of(), new TargetRegion(-0.1, 0.15, 0.1, 0.2), 10).testTargets(env);
        int horizon = 65;
        double[] start = new double[4];
        GaussianPolicy policy = new GaussianPolicy(new GoalConditionedPolicy(new Mlp(new int[] {8, 64, 64, 2},
                Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, new double[] {1, 1, 0.125, 0.125, 1, 1, 1, 1},
                new double[4], 4, true), 0.0);
        Mlp value = new Mlp(new int[] {8, 64, 64, 1}, Activation.TANH, Activation.IDENTITY, true);
        int rollouts = Integer.getInteger("ppo.rollouts", 60);
        int goals = Integer.getInteger("ppo.reacher.goals", 1);
        for (int g = 0; g < goals; g++) {
            double[] goal = env.goalOf(targets.get(g));
            long t0 = System.nanoTime();
            double[] returns = new PpoTrainer(arm, start, horizon, policy, value, PpoSettings.CLEANRL)
                    .train(B, goal, rollouts, 1).sampledReturns();
            double seconds = (System.nanoTime() - t0) / 1e9;
            double openLoop = new OpenLoopOptimum(300, 0.05).of(B, arm, start, horizon, 2, goal);
            double pd = computedTorqueReturn(arm, start, horizon, goal);
            double optimum = Math.max(openLoop, pd);
            double closed = (returns[rollouts - 1] - returns[0]) / (optimum - returns[0]);
            System.out.printf("PPO, reacher goal %d (%.3f, %.3f): return %.3f -> %.3f over %d rollouts (%.1f s), open-loop"
                    + " optimum %.3f, computed-torque PD %.3f: %.0f%% of the gap%n", g, goal[0], goal[1], returns[0],
                    returns[rollouts - 1], rollouts, seconds, openLoop, pd, 100 * closed);
            assertTrue(closed >= 0.9, "goal " + g + ": closed " + closed);
        }
    }

    /** The episode return of computed-torque PD control (400, 40) toward {@code goal}, as PPO's episodes count it. */
    private static double computedTorqueReturn(Reacher arm, double[] start, int horizon, double[] goal) {
        Tensor state = Tensor.constant(B, start, 1, 1, 4);
        double[] u = new double[2 * horizon];
        for (int t = 0; t < horizon; t++) {
            double[] s = state.toArray();
            Tensor acc = Tensor.constant(B, new double[] {400 * (goal[0] - s[0]) - 40 * s[2], 400 * (goal[1] - s[1]) - 40 * s[3]},
                    1, 1, 2);
            double[] a = arm.boundAction(arm.actionFor(state, acc)).toArray();
            System.arraycopy(a, 0, u, 2 * t, 2);
            state = arm.step(state, Tensor.constant(B, a, 1, 1, 2));
        }
        return OpenLoopOptimum.episodeReturn(arm, start, Tensor.constant(B, u, 1, horizon, 2), goal).item();
    }
}
