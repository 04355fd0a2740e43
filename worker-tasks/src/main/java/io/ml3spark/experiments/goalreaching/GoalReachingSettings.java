package io.ml3spark.experiments.goalreaching;

import io.ml3spark.config.Settings;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.InverseDynamics;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.GoalEnvironments;
import io.ml3spark.experiments.InputScaling;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import java.util.ArrayList;
import java.util.List;

import static io.ml3spark.experiments.ConfigReaders.layers;
import static io.ml3spark.experiments.ConfigReaders.learnedLoss;
import static io.ml3spark.experiments.ConfigReaders.numbers;

/**
 * Reads the goal-reaching experiments from their config sections, naming the key of any bad
 * value; the model-free experiment reads its environment and targets here too.
 */
public final class GoalReachingSettings {
    private GoalReachingSettings() {
    }

    static GoalReachingExperiment experiment(Settings s) {
        GoalTasks tasks = goalTasks(s);
        GoalEnvironment env = tasks.env();
        Settings ll = s.section("learned-loss");
        int width = env.stateNames().size() + env.actionNames().size() + 1;
        InputScaling lossScaling = InputScaling.read(ll, width, "(state, action, goal distance)");
        double[] lossScale = lossScaling.factors();
        LearnedLoss loss = learnedLoss(ll, lossInput(env, lossScaling, List.of("goal_distance")));
        Settings tl = s.section("task-loss");
        GoalReachingLoss taskLoss = new GoalReachingLoss(env.positions(), tl.getNonNegativeDouble("final-weight"),
                tl.getNonNegativeDouble("path-weight"), tl.getNonNegativeDouble("velocity-weight"));
        Settings mt = s.section("meta-test");
        GoalReachingExperiment.GoalMetaTest metaTest = new GoalReachingExperiment.GoalMetaTest(mt.getInt("steps", 1),
                mt.getPositiveDouble("learning-rate"), mt.getEnum("learned-loss-gradients", GoalReachingExperiment.Gradients.class),
                mt.getEnum("task-loss-gradients", GoalReachingExperiment.Gradients.class));
        return new GoalReachingExperiment(tasks, loss, lossScale, ll.getBoolean("distance-gradient"),
                innerLoop(s.section("inner")), taskLoss,
                targets(s.section("train-targets"), env), targets(mt.section("targets"), env), metaTest,
                dynamics(s.section("dynamics"), env));
    }

    static DemonstrationsExperiment demonstrations(Settings s) {
        GoalTasks tasks = goalTasks(s);
        GoalEnvironment env = tasks.env();
        Settings ll = s.section("learned-loss");
        List<String> goal = env.stateNames().subList(0, env.positions()).stream().map(n -> "goal_" + n).toList();
        int width = env.stateNames().size() + env.actionNames().size() + goal.size();
        InputScaling lossScaling = InputScaling.read(ll, width, "(state, action, goal)");
        double[] lossScale = lossScaling.factors();
        LearnedLoss loss = learnedLoss(ll, lossInput(env, lossScaling, goal));
        Settings ex = s.section("expert");
        boolean computedTorque = ex.hasPath("computed-torque") && ex.getBoolean("computed-torque");
        if (computedTorque && !(env.simulator() instanceof InverseDynamics)) {
            throw ex.invalid("computed-torque", "false: the " + env.name() + " has no inverse dynamics");
        }
        PdExpert expert = new PdExpert(ex.getPositiveDouble("kp"), ex.getNonNegativeDouble("kd"), computedTorque);
        Settings train = s.section("train-targets");
        Targets trainTargets = targets(train, env);
        if (trainTargets.listed().isEmpty() || trainTargets.drawn() > 0) {
            throw train.invalid("listed", "the demonstrated targets, listed (x0, y0, x1, y1, ...), with drawn = 0");
        }
        Settings mt = s.section("meta-test");
        Settings bc = s.section("cloning");
        return new DemonstrationsExperiment(tasks, loss, lossScale, innerLoop(s.section("inner")), expert, trainTargets,
                targets(mt.section("targets"), env), mt.getInt("steps", 1), mt.getPositiveDouble("learning-rate"),
                new DemonstrationsExperiment.Cloning(bc.getInt("steps", 1), bc.getPositiveDouble("learning-rate")));
    }

    /** The environment, start state, horizon and policy of a goal-reaching section. */
    private static GoalTasks goalTasks(Settings s) {
        GoalEnvironment env = GoalEnvironments.fromSettings(s);
        int states = env.stateNames().size();
        int actions = env.actionNames().size();
        double[] start = numbers(s, "start", states, String.join(", ", env.stateNames()));
        int horizon = s.getInt("horizon", 1);
        Settings pol = s.section("policy");
        Mlp policy = new Mlp(layers(pol, "layers"), Activation.TANH, Activation.IDENTITY, true);
        if (policy.inputSize() != 2 * states || policy.outputSize() != actions) {
            throw pol.invalid("layers", "a network from " + 2 * states + " inputs (state, goal state) to "
                    + actions + " actions, got " + java.util.Arrays.toString(policy.sizes()));
        }
        double[] policyScale = InputScaling.read(pol, policy.inputSize(), "(state, goal state)").factors();
        return GoalTasks.of(env, start, horizon, policy, policyScale, pol.getBoolean("state-gradient"));
    }

    private static InnerLoop innerLoop(Settings inner) {
        return new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate"));
    }

    /**
     * The learned loss's features: the state's and action's components, then {@code targets}
     * (the final goal distance, or the goal), each named with its scaling ({@code dq1_div8}).
     */
    static LossInput lossInput(GoalEnvironment env, InputScaling scaling, List<String> targets) {
        List<LossInput.Feature> features = new ArrayList<>();
        int i = 0;
        for (String n : env.stateNames()) {
            features.add(LossInput.input(scaling.featureName(i++, n)));
        }
        for (String n : env.actionNames()) {
            features.add(LossInput.prediction(scaling.featureName(i++, n)));
        }
        for (String n : targets) {
            features.add(LossInput.target(scaling.featureName(i++, n)));
        }
        return new LossInput(features, false);
    }

    /**
     * {@code listed} (x, y pairs, flat), then {@code drawn} more from {@code region} ([x0, x1, y0, y1]); each
     * listed one reachable. {@code goals}, optional: the listed targets' goals in position coordinates, flat, in
     * their order (e.g. the joint configurations the reference's inverse kinematics returned); each within the
     * environment's range.
     */
    public static Targets targets(Settings s, GoalEnvironment env) {
        List<Double> flat = s.getDoubleList("listed");
        if (flat.size() % 2 != 0) {
            throw s.invalid("listed", "target points as a flat list x0, y0, x1, y1, ..., got " + flat);
        }
        List<double[]> listed = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += 2) {
            double[] t = {flat.get(i), flat.get(i + 1)};
            try {
                env.goalOf(t);
            } catch (IllegalArgumentException e) {
                throw s.invalid("listed", "targets the " + env.name() + " can reach; " + e.getMessage());
            }
            listed.add(t);
        }
        List<double[]> goals = s.hasPath("goals") ? listedGoals(s, env, listed.size()) : List.of();
        int drawn = s.getInt("drawn", 0);
        List<Double> r = s.getDoubleList("region");
        TargetRegion region = null;
        if (!r.isEmpty() || drawn > 0) {
            if (r.size() != 4 || !(r.get(0) <= r.get(1) && r.get(2) <= r.get(3))) {
                throw s.invalid("region", "[x0, x1, y0, y1] with x0 <= x1 and y0 <= y1, got " + r);
            }
            region = new TargetRegion(r.get(0), r.get(1), r.get(2), r.get(3));
            try {
                region.draw(env, new java.util.SplittableRandom(0));
            } catch (IllegalArgumentException e) {
                throw s.invalid("region", "a region with targets the " + env.name() + " can reach; " + e.getMessage());
            }
        }
        if (listed.isEmpty() && drawn == 0) {
            throw s.invalid("drawn", "at least one target: list some, or draw some from the region");
        }
        return new Targets(listed, goals, region, drawn);
    }

    private static List<double[]> listedGoals(Settings s, GoalEnvironment env, int targets) {
        List<Double> flat = s.getDoubleList("goals");
        int p = env.positions();
        if (targets == 0 || flat.size() != targets * p) {
            throw s.invalid("goals", "the goal of each listed target (" + targets + " targets, " + p + " numbers each: "
                    + String.join(", ", env.stateNames().subList(0, p)) + "), got " + flat);
        }
        List<double[]> goals = new ArrayList<>();
        for (int i = 0; i < flat.size(); i += p) {
            double[] g = flat.subList(i, i + p).stream().mapToDouble(Double::doubleValue).toArray();
            try {
                env.checkGoal(g);
            } catch (IllegalArgumentException e) {
                throw s.invalid("goals", "goals the " + env.name() + " can reach; " + e.getMessage());
            }
            goals.add(g);
        }
        return goals;
    }

    private static GoalReachingExperiment.LearnedDynamics dynamics(Settings s, GoalEnvironment env) {
        int states = env.stateNames().size();
        int actions = env.actionNames().size();
        int velocities = states - env.positions();
        Mlp network = new Mlp(layers(s, "layers"), Activation.TANH, Activation.IDENTITY, true);
        if (network.inputSize() != states + actions || network.outputSize() != 2 * velocities) {
            throw s.invalid("layers", "a network from " + (states + actions) + " inputs (state, action) to " + 2 * velocities
                    + " outputs (mean and variance of each velocity's change)");
        }
        double outputScale = s.hasPath("output-scale") ? s.getPositiveDouble("output-scale") : env.dt();
        ProbabilisticDynamics model = new ProbabilisticDynamics(network,
                InputScaling.read(s, states + actions, "(state, action)").factors(), velocities, outputScale);
        Settings fit = s.section("fit");
        DynamicsFit dynamicsFit = new DynamicsFit(fit.getPositiveDouble("learning-rate"), fit.getInt("epochs", 1),
                fit.getInt("batch-size", 1));
        return new GoalReachingExperiment.LearnedDynamics(model, dynamicsFit, s.getInt("members", 1),
                s.getInt("random-rollouts", 1), s.getInt("refit-every", 1), s.getPositiveDouble("position-limit"),
                s.getPositiveDouble("velocity-limit"));
    }

}
