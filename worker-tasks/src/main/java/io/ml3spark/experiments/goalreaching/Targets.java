package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.ml3.Seeds;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Target points in the plane: the listed ones, then {@code drawn} more from {@code region}.
 * Meta-training draws its targets afresh per (run seed, iteration, task) when none are listed;
 * a meta-test draws its extra targets from a fixed stream, so every run seed meets the same ones.
 *
 * <p>A target's goal, in position coordinates, is the environment's ({@link GoalEnvironment#goalOf},
 * the reacher's inverse kinematics), unless {@code listedGoals} gives the listed targets' goals: the
 * reference's goals are what its own inverse kinematics returned, which for its test target is a
 * configuration 3.75 cm from the target. {@code listedGoals} is empty or one goal per listed target.
 */
public record Targets(List<double[]> listed, List<double[]> listedGoals, TargetRegion region, int drawn)
        implements Serializable {
    private static final long TRAIN_TARGETS = 3;
    private static final long TEST_TARGETS = 0x7e57_7a29L;

    public Targets {
        listed = List.copyOf(listed);
        listedGoals = List.copyOf(listedGoals);
        if (drawn < 0 || listed.isEmpty() && drawn == 0 || drawn > 0 && region == null) {
            throw new IllegalArgumentException("targets: list at least one, or draw at least one from a region");
        }
        if (!listedGoals.isEmpty() && listedGoals.size() != listed.size()) {
            throw new IllegalArgumentException("targets: " + listedGoals.size() + " goals given for " + listed.size()
                    + " listed targets");
        }
    }

    /** Targets whose goals the environment gives. */
    public Targets(List<double[]> listed, TargetRegion region, int drawn) {
        this(listed, List.of(), region, drawn);
    }

    public static Targets of(double[]... points) {
        return new Targets(List.of(points), null, 0);
    }

    /** The goal of {@code target}: the one given for it if it is a listed target with a given goal, else the environment's. */
    public double[] goalOf(GoalEnvironment env, double[] target) {
        for (int i = 0; i < listedGoals.size(); i++) {
            if (Arrays.equals(listed.get(i), target)) {
                return listedGoals.get(i).clone();
            }
        }
        return env.goalOf(target);
    }

    /** The goals of {@code targets}, flat {@code [B * P]}. */
    public double[] goalsOf(GoalEnvironment env, List<double[]> targets) {
        int p = env.positions();
        double[] goals = new double[targets.size() * p];
        for (int t = 0; t < targets.size(); t++) {
            System.arraycopy(goalOf(env, targets.get(t)), 0, goals, t * p, p);
        }
        return goals;
    }

    /** Targets per meta-training iteration: the listed ones, else as many as are drawn. */
    public int perIteration() {
        return listed.isEmpty() ? drawn : listed.size();
    }

    public int count() {
        return listed.size() + drawn;
    }

    /** Meta-training target {@code task} of {@code iteration}: listed, or drawn from the run's stream. */
    public double[] trainTarget(GoalEnvironment env, long runSeed, long iteration, int task) {
        if (!listed.isEmpty()) {
            return listed.get(task);
        }
        return region.draw(env, new SplittableRandom(Seeds.derive(runSeed, TRAIN_TARGETS, iteration, task)));
    }

    /** The meta-test's targets: the listed ones, then the drawn ones (the same for every run seed). */
    public List<double[]> testTargets(GoalEnvironment env) {
        List<double[]> targets = new ArrayList<>(listed);
        for (int j = 0; j < drawn; j++) {
            targets.add(region.draw(env, new SplittableRandom(Seeds.derive(TEST_TARGETS, j))));
        }
        return targets;
    }
}
