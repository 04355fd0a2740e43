package io.ml3spark.experiments.goalreaching;

import io.ml3spark.config.Settings;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static io.ml3spark.experiments.ConfigReaders.layers;
import static io.ml3spark.experiments.ConfigReaders.learnedLoss;
import static io.ml3spark.experiments.ConfigReaders.numbers;

/** Reads a {@link GoalReachingExperiment} from its config section, naming the key of any bad value. */
final class GoalReachingSettings {
    private GoalReachingSettings() {
    }

    static GoalReachingExperiment experiment(Settings s) {
        GoalEnvironment env = switch (s.getChoice("environment", PointmassGoalEnvironment.NAME, ReacherGoalEnvironment.NAME)) {
            case ReacherGoalEnvironment.NAME -> new ReacherGoalEnvironment(Reacher.SPEC);
            default -> new PointmassGoalEnvironment(PointMass.EXTRAS);
        };
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
        double[] policyScale = numbers(pol, "input-scale", policy.inputSize(), "a factor per (state, goal state) input");

        Settings ll = s.section("learned-loss");
        double[] lossScale = numbers(ll, "input-scale", states + actions + 1, "a factor per (state, action, goal"
                + " distance) input");
        LearnedLoss loss = learnedLoss(ll, lossInput(env, lossScale));

        Settings inner = s.section("inner");
        Settings tl = s.section("task-loss");
        GoalReachingLoss taskLoss = new GoalReachingLoss(env.positions(), nonNegative(tl, "final-weight"),
                nonNegative(tl, "path-weight"), nonNegative(tl, "velocity-weight"));
        Settings mt = s.section("meta-test");
        GoalReachingExperiment.GoalMetaTest metaTest = new GoalReachingExperiment.GoalMetaTest(mt.getInt("steps", 1),
                mt.getPositiveDouble("learning-rate"), mt.getChoice("gradients", "model", "simulator").equals("model"));
        return new GoalReachingExperiment(env, start, horizon, policy, policyScale, loss, lossScale,
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")), taskLoss,
                targets(s.section("train-targets"), env), targets(mt.section("targets"), env), metaTest,
                dynamics(s.section("dynamics"), env));
    }

    /**
     * The learned loss's features: the state's and action's components and the final goal
     * distance, each named with its input factor where that is not 1 ({@code dq1_x8}).
     */
    static LossInput lossInput(GoalEnvironment env, double[] scale) {
        List<LossInput.Feature> features = new ArrayList<>();
        int i = 0;
        for (String n : env.stateNames()) {
            features.add(LossInput.input(scaled(n, scale[i++])));
        }
        for (String n : env.actionNames()) {
            features.add(LossInput.prediction(scaled(n, scale[i++])));
        }
        features.add(LossInput.target(scaled("goal_distance", scale[i])));
        return new LossInput(features, false);
    }

    private static String scaled(String name, double factor) {
        if (factor == 1) {
            return name;
        }
        String f = factor == Math.rint(factor) ? Long.toString((long) factor) : Double.toString(factor);
        return name + "_x" + f.replace('.', 'p').replace('-', 'm').toLowerCase(Locale.ROOT);
    }

    /** {@code listed} (x, y pairs, flat), then {@code drawn} more from {@code region} ([x0, x1, y0, y1]); each listed one reachable. */
    private static GoalReachingExperiment.Targets targets(Settings s, GoalEnvironment env) {
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
        return new GoalReachingExperiment.Targets(listed, region, drawn);
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
        double dt = env.simulator() instanceof Reacher arm ? arm.dt() : ((PointMass) env.simulator()).dt();
        ProbabilisticDynamics model = new ProbabilisticDynamics(network,
                numbers(s, "input-scale", states + actions, "a factor per (state, action) input"), velocities, dt);
        Settings fit = s.section("fit");
        DynamicsFit dynamicsFit = new DynamicsFit(fit.getPositiveDouble("learning-rate"), fit.getInt("epochs", 1),
                fit.getInt("batch-size", 1));
        return new GoalReachingExperiment.LearnedDynamics(model, dynamicsFit, s.getInt("members", 1),
                s.getInt("random-rollouts", 1), s.getInt("refit-every", 1), s.getPositiveDouble("position-limit"),
                s.getPositiveDouble("velocity-limit"));
    }

    private static double nonNegative(Settings s, String path) {
        double v = s.getDouble(path);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw s.invalid(path, "a non-negative number, got " + v);
        }
        return v;
    }
}
