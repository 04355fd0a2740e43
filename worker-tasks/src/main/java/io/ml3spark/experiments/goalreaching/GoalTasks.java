package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.control.Rollout;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * What the goal-reaching experiments share: the environment, the start state, the horizon and
 * the policy on (state, goal state), whose one stored initial weights (from the run seed)
 * start every outer iteration and every meta-test. A goal is given in position coordinates;
 * the policy sees it as a goal state at rest (velocities 0).
 */
public record GoalTasks(GoalEnvironment env, double[] start, int horizon, GoalConditionedPolicy policy)
        implements Serializable {
    private static final long POLICY_INIT = 1;

    public GoalTasks {
        int s = env.stateNames().size();
        if (start.length != s) {
            throw new IllegalArgumentException("start state needs " + s + " numbers " + env.stateNames());
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        start = start.clone();
    }

    /**
     * The tasks of a policy MLP on (state, goal state), each input multiplied by
     * {@code inputScale}; with {@code stateGradient} gradients flow back through its state input.
     */
    public static GoalTasks of(GoalEnvironment env, double[] start, int horizon, Mlp policy, double[] inputScale,
                               boolean stateGradient) {
        int s = env.stateNames().size();
        int a = env.actionNames().size();
        if (policy.inputSize() != 2 * s || policy.outputSize() != a) {
            throw new IllegalArgumentException("the policy maps (state, goal state) (" + 2 * s + ") to " + a
                    + " actions, got " + policy);
        }
        return new GoalTasks(env, start, horizon, new GoalConditionedPolicy(policy, Init.TORCH_DEFAULT, inputScale,
                new double[s], s, stateGradient));
    }

    public int states() {
        return start.length;
    }

    /** The run's stored initial policy, once per task. */
    public List<Tensor> initialPolicy(Backend backend, long runSeed, int tasks) {
        long[] seeds = new long[tasks];
        Arrays.fill(seeds, Seeds.derive(runSeed, POLICY_INIT));
        return policy.initialize(backend, seeds);
    }

    /** Goal positions {@code [B * P]} as goal states at rest {@code [B * S]}. */
    public double[] goalStates(double[] goals) {
        int p = env.positions();
        int b = goals.length / p;
        double[] states = new double[b * start.length];
        for (int t = 0; t < b; t++) {
            System.arraycopy(goals, t * p, states, t * start.length, p);
        }
        return states;
    }

    /** The policy for these goals. */
    public GoalConditionedPolicy policyFor(double[] goals) {
        return policy.forGoals(goalStates(goals));
    }

    /** Policies theta (one per goal) from the start state in {@code through}: the real simulator or a model. */
    public Rollout rollout(Environment through, double[] goals, List<Tensor> theta) {
        return Rollout.of(through, policyFor(goals), theta, start, horizon);
    }

    /** The effector's point in the plane at each state of a one-task rollout. */
    public double[][] effectorPath(Rollout r) {
        double[] s = r.states().toArray();
        int size = start.length;
        double[][] path = new double[horizon + 1][];
        for (int t = 0; t <= horizon; t++) {
            path[t] = env.effector(Arrays.copyOfRange(s, t * size, t * size + env.positions()));
        }
        return path;
    }

    /** The distance of a one-task rollout's final positions to {@code goal}, in position coordinates. */
    public double goalDistance(Rollout r, double[] goal) {
        double[] end = r.finalState().toArray();
        double sum = 0;
        for (int i = 0; i < goal.length; i++) {
            sum += (end[i] - goal[i]) * (end[i] - goal[i]);
        }
        return Math.sqrt(sum);
    }

    /**
     * {@code loss} on each step's (state, action, targets) of a rollout, each column multiplied by
     * {@code scale}: averaged over the steps, summed over the tasks. {@code targets} {@code [B, T, K]}
     * are the last K columns (a goal distance, a goal).
     */
    public Tensor learnedLoss(TrainingObjective loss, Rollout r, double[] scale, Tensor targets) {
        Backend backend = targets.backend();
        int s = states();
        int a = env.actionNames().size();
        int k = scale.length - s - a;
        Tensor scaledStates = r.statesBeforeActions().mul(Tensor.constant(backend, Arrays.copyOfRange(scale, 0, s), s));
        Tensor scaledActions = r.actions().mul(Tensor.constant(backend, Arrays.copyOfRange(scale, s, s + a), a));
        Tensor scaledTargets = targets.mul(Tensor.constant(backend, Arrays.copyOfRange(scale, s + a, s + a + k), k));
        return loss.value(scaledActions, new TaskBatch(scaledStates, scaledTargets));
    }

    /** {@code [B, N, C]} as {@code [B][N][C]}. */
    public static double[][][] perEpisode(Tensor t) {
        double[] v = t.toArray();
        int b = t.shape().dim(0);
        int n = t.shape().dim(1);
        int c = t.shape().dim(2);
        double[][][] out = new double[b][n][c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(v, (i * n + j) * c, out[i][j], 0, c);
            }
        }
        return out;
    }
}
