package io.ml3spark.control.ppo;

import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The validation of the PPO baseline on one PointmassGoal goal: CleanRL's settings, 60
 * rollouts of 2040 steps; the return must close at least 90% of the gap between the initial
 * policy's and the open-loop optimum's (measured: -31.6 to -11.8 against -11.2, 97%, 14 s).
 */
class PpoTrainerTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @Test
    void ppoClosesNinetyPercentOfTheGapToTheOpenLoopOptimumOnAPointmassGoal() {
        double[] goal = {0.6, -0.5};
        int horizon = 40;
        double[] ones = new double[8];
        Arrays.fill(ones, 1);
        GaussianPolicy policy = new GaussianPolicy(new GoalConditionedPolicy(new Mlp(new int[] {8, 64, 64, 2},
                Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, ones, new double[4], 4, true), 0.0);
        Mlp value = new Mlp(new int[] {8, 64, 64, 1}, Activation.TANH, Activation.IDENTITY, true);
        int rollouts = Integer.getInteger("ppo.rollouts", 60);
        long t0 = System.nanoTime();
        double[] returns = new PpoTrainer(PointMass.EXTRAS, new double[4], horizon, policy, value, PpoSettings.CLEANRL)
                .train(B, goal, rollouts, 1).sampledReturns();
        double seconds = (System.nanoTime() - t0) / 1e9;
        double optimum = new OpenLoopOptimum(300, 0.05).of(B, PointMass.EXTRAS, new double[4], horizon, 2, goal);
        double closed = (returns[rollouts - 1] - returns[0]) / (optimum - returns[0]);
        System.out.printf("PPO: return %.3f -> %.3f over %d rollouts (%.1f s), optimum %.3f: %.0f%% of the gap%n",
                returns[0], returns[rollouts - 1], rollouts, seconds, optimum, 100 * closed);
        System.out.println(Arrays.toString(returns));
        assertTrue(closed >= 0.9, "closed " + closed);
    }
}
