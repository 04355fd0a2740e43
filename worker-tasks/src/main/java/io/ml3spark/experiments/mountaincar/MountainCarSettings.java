package io.ml3spark.experiments.mountaincar;

import io.ml3spark.config.Settings;
import io.ml3spark.ml3.EvolutionStrategy;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import static io.ml3spark.experiments.ConfigReaders.learnedLossNetwork;
import static io.ml3spark.experiments.ConfigReaders.layers;
import static io.ml3spark.experiments.ConfigReaders.numbers;

/** Reads a {@link MountainCarExperiment} from its config section, naming the key of any bad value. */
final class MountainCarSettings {
    private MountainCarSettings() {
    }

    /** Builds the experiment from its config section (see conf/mountain-car.conf). */
    static MountainCarExperiment experiment(Settings s) {
        Settings pol = s.section("policy");
        Mlp policy = new Mlp(layers(pol, "layers"), Activation.IDENTITY, Activation.IDENTITY, false);
        if (policy.inputSize() != 2 || policy.outputSize() != 1) {
            throw pol.invalid("layers", "a network from 2 inputs (position, velocity) to 1 action");
        }
        Settings ll = s.section("learned-loss");
        Mlp loss = learnedLossNetwork(ll, "position", "velocity", "action", "distance");
        Settings inner = s.section("inner");
        Settings intermediate = s.section("intermediate-goal");
        GoalDistance taskLoss = new GoalDistance(numbers(s, "goal", 2, "position, velocity"),
                numbers(intermediate, "state", 2, "position, velocity"), intermediate.getInt("steps", 0));
        Settings train = s.section("meta-train-tasks");
        MountainCarExperiment.MetaTraining metaTraining = metaTraining(train, "meta-gradient");
        Settings metaTest = s.section("meta-test");
        MountainCar car = MountainCar.REFERENCE.withActionBound(actionBound(s, "action-bound"))
                .withActionGradientLeak(actionGradientLeak(s, "action-gradient-leak"));
        return new MountainCarExperiment(car, numbers(s, "start", 2, "position, velocity"),
                s.getInt("horizon", 1), policy, new LearnedLoss(loss, LossInput.STATE_ACTION_COST),
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")), metaTraining,
                lossAction(ll, "action"), taskLoss,
                metaTest.getInt("steps", 1), metaTest.getPositiveDouble("learning-rate"));
    }

    /** The meta-train-tasks section; {@code path}: backprop, evolution-strategy {@code { pairs, sigma }} or fixed-point. */
    private static MountainCarExperiment.MetaTraining metaTraining(Settings s, String path) {
        String v = s.getString(path);
        Settings es = s.section("evolution-strategy");
        int pairs = es.getInt("pairs", 1);
        double sigma = es.getPositiveDouble("sigma");
        EvolutionStrategy strategy = switch (v) {
            case "backprop", "fixed-point" -> null;
            case "evolution-strategy" -> new EvolutionStrategy(pairs, sigma);
            default -> throw s.invalid(path, "backprop, evolution-strategy or fixed-point, got '" + v + "'");
        };
        return new MountainCarExperiment.MetaTraining(s.getInt("policies", 1), s.getBoolean("resample"), s.getBoolean("loss-after-every-step"),
                strategy, v.equals("fixed-point"));
    }

    /** Whether the learned loss's action input is the policy output before clipping. */
    private static boolean lossAction(Settings s, String path) {
        String v = s.getString(path);
        return switch (v) {
            case "clipped" -> false;
            case "policy-output" -> true;
            default -> throw s.invalid(path, "clipped or policy-output, got '" + v + "'");
        };
    }

    private static double actionGradientLeak(Settings s, String path) {
        double leak = s.getDouble(path);
        if (!(leak >= 0 && leak <= 1)) {
            throw s.invalid(path, "a number in [0, 1] (0: no gradient where clipped, 1: straight-through), got " + leak);
        }
        return leak;
    }

    private static MountainCar.ActionBound actionBound(Settings s, String path) {
        String v = s.getString(path);
        return switch (v) {
            case "clamp" -> MountainCar.ActionBound.CLAMP;
            case "tanh" -> MountainCar.ActionBound.TANH;
            default -> throw s.invalid(path, "clamp or tanh, got '" + v + "'");
        };
    }

}
