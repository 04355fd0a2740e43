package io.ml3spark.experiments.modelfree;

import io.ml3spark.environments.GoalEnvironments;
import io.ml3spark.config.Settings;
import io.ml3spark.control.ppo.PpoSettings;
import io.ml3spark.experiments.InputScaling;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.goalreaching.GoalReachingSettings;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;

import java.util.ArrayList;
import java.util.List;

import static io.ml3spark.experiments.ConfigReaders.learnedLoss;
import static io.ml3spark.experiments.ConfigReaders.numbers;

/** Reads a {@link ModelFreeExperiment} from its config section, naming the key of any bad value. */
final class ModelFreeSettings {
    private ModelFreeSettings() {
    }

    static ModelFreeExperiment experiment(Settings s) {
        GoalEnvironment env = GoalEnvironments.fromSettings(s);
        int states = env.stateNames().size();
        double[] start = numbers(s, "start", states, String.join(", ", env.stateNames()));
        int horizon = s.getInt("horizon", 1);
        Settings pol = s.section("policy");
        PolicyArchitecture arch = architecture(pol, "architecture", pol.getString("architecture"));
        double[] policyScale = InputScaling.read(pol, 2 * states, "(state, goal state)").factors();
        double logStd = pol.getFiniteDouble("initial-log-std");
        Settings ll = s.section("learned-loss");
        List<String> names = features(env).stream().map(LossInput.Feature::name).toList();
        InputScaling lossScaling = InputScaling.read(ll, names.size(), names.toString());
        double[] lossScale = lossScaling.factors();
        LearnedLoss loss = learnedLoss(ll, lossInput(env, lossScaling));
        Settings inner = s.section("inner");
        InnerLoop innerLoop = new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate"));
        int innerEpisodes = inner.getInt("episodes", 1);
        Settings objective = s.section("meta-objective");
        int fresh = objective.getInt("episodes", 2);
        Settings mt = s.section("meta-test");
        ModelFreeTestSettings metaTest = new ModelFreeTestSettings(GoalReachingSettings.targets(mt.section("targets"), env),
                mt.getInt("seeds", 1), architectures(mt, "architectures"), mt.getPositiveDouble("learning-rate"),
                mt.getInt("episodes", 1), mt.getInt("ppo-rollouts", 1), ppo(s.section("ppo")));
        return new ModelFreeExperiment(env, start, horizon, arch, policyScale, logStd, loss, lossScale, innerLoop,
                innerEpisodes, fresh, objective.getBoolean("after-every-step"), GoalReachingSettings.targets(s.section("train-targets"), env), metaTest);
    }

    /**
     * The learned loss's inputs, unscaled: (state, taken action, reward) from the episodes, (mean
     * action, log-probability of the taken action) from the policy, the goal's positions.
     */
    static List<LossInput.Feature> features(GoalEnvironment env) {
        List<LossInput.Feature> f = new ArrayList<>();
        env.stateNames().forEach(n -> f.add(LossInput.input(n)));
        env.actionNames().forEach(n -> f.add(LossInput.input("taken_" + n)));
        f.add(LossInput.input("reward"));
        env.actionNames().forEach(n -> f.add(LossInput.prediction("mean_" + n)));
        f.add(LossInput.prediction("log_probability"));
        env.stateNames().subList(0, env.positions()).forEach(q -> f.add(LossInput.target("goal_" + q)));
        return f;
    }

    /** The features, each named with its scaling. */
    static LossInput lossInput(GoalEnvironment env, InputScaling scaling) {
        List<LossInput.Feature> f = features(env);
        List<LossInput.Feature> scaled = new ArrayList<>();
        for (int i = 0; i < f.size(); i++) {
            scaled.add(new LossInput.Feature(scaling.featureName(i, f.get(i).name()), f.get(i).source()));
        }
        return new LossInput(scaled, false);
    }

    static PolicyArchitecture architecture(Settings s, String path, String name) {
        try {
            return PolicyArchitecture.parse(name.trim());
        } catch (IllegalArgumentException e) {
            throw s.invalid(path, e.getMessage());
        }
    }

    /** A comma-separated list of architectures, e.g. {@code "1x32, 2x64, 3x128"}. */
    private static List<PolicyArchitecture> architectures(Settings s, String path) {
        List<PolicyArchitecture> list = new ArrayList<>();
        for (String name : s.getString(path).split(",", -1)) {
            PolicyArchitecture a = architecture(s, path, name);
            if (list.contains(a)) {
                throw s.invalid(path, "each architecture once, got " + a + " twice");
            }
            list.add(a);
        }
        return list;
    }

    /** PPO's keys, each checked: counts >= 1, rates and the clip range positive, discounts in [0, 1]. */
    static PpoSettings ppo(Settings p) {
        int steps = p.getInt("steps-per-rollout", 1);
        int minibatches = p.getInt("minibatches", 1);
        if (minibatches > steps) {
            throw p.invalid("minibatches", "at most steps-per-rollout (" + steps + ") minibatches, got " + minibatches);
        }
        return new PpoSettings(steps, minibatches, p.getInt("epochs", 1), unit(p, "gamma"), unit(p, "gae-lambda"),
                p.getPositiveDouble("clip"), p.getPositiveDouble("learning-rate"), p.getPositiveDouble("adam-epsilon"),
                p.getNonNegativeDouble("value-coefficient"), p.getPositiveDouble("max-grad-norm"), p.getFiniteDouble("initial-log-std"));
    }


    private static double unit(Settings s, String path) {
        double v = s.getDouble(path);
        if (!(v >= 0 && v <= 1)) {
            throw s.invalid(path, "a number in [0, 1], got " + v);
        }
        return v;
    }
}
