package io.ml3spark.experiments.mountaincar;

import io.ml3spark.config.Settings;
import io.ml3spark.ml3.EvolutionStrategy;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import static io.ml3spark.experiments.ConfigReaders.learnedLoss;
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
        LearnedLoss loss = learnedLoss(ll, LossInput.STATE_ACTION_COST);
        Settings inner = s.section("inner");
        Settings intermediate = s.section("intermediate-goal");
        GoalDistance taskLoss = new GoalDistance(numbers(s, "goal", 2, "position, velocity"),
                numbers(intermediate, "state", 2, "position, velocity"), intermediate.getInt("steps", 0));
        Settings train = s.section("meta-train-tasks");
        MountainCarTraining metaTraining = metaTraining(train, "meta-gradient");
        Settings metaTest = s.section("meta-test");
        MountainCar.ActionBound bound = s.getChoice("action-bound", "clamp", "tanh").equals("tanh")
                ? MountainCar.ActionBound.TANH : MountainCar.ActionBound.CLAMP;
        MountainCar car = MountainCar.REFERENCE.withActionBound(bound)
                .withActionGradientLeak(actionGradientLeak(s, "action-gradient-leak"));
        return new MountainCarExperiment(car, numbers(s, "start", 2, "position, velocity"),
                s.getInt("horizon", 1), policy, loss,
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")), metaTraining,
                ll.getChoice("action", "clipped", "policy-output").equals("policy-output"), taskLoss,
                metaTest.getInt("steps", 1), metaTest.getPositiveDouble("learning-rate"));
    }

    /** The meta-train-tasks section; {@code path}: backprop, evolution-strategy {@code { pairs, sigma }} or fixed-point. */
    private static MountainCarTraining metaTraining(Settings s, String path) {
        String method = s.getChoice(path, "backprop", "evolution-strategy", "fixed-point");
        Settings es = s.section("evolution-strategy");
        int pairs = es.getInt("pairs", 1);
        double sigma = es.getPositiveDouble("sigma");
        EvolutionStrategy strategy = method.equals("evolution-strategy") ? new EvolutionStrategy(pairs, sigma) : null;
        return new MountainCarTraining(s.getInt("policies", 1), s.getBoolean("resample"),
                s.getBoolean("loss-after-every-step"), strategy, method.equals("fixed-point"));
    }

    private static double actionGradientLeak(Settings s, String path) {
        double leak = s.getDouble(path);
        if (!(leak >= 0 && leak <= 1)) {
            throw s.invalid(path, "a number in [0, 1] (0: no gradient where clipped, 1: straight-through), got " + leak);
        }
        return leak;
    }
}
