package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalReward;
import io.ml3spark.control.ppo.PpoTrainer;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * New policies, of several architectures, trained with the learned loss and with PPO for the same
 * environment steps, on each test target and seed ({@link ModelFreeTestSettings}).
 */
record ModelFreeMetaTest(ModelFreeControl control, LearnedLoss learnedLoss, ModelFreeTestSettings settings,
                         PolicyArchitecture trainArchitecture)
        implements MetaTester {
    private static final long META_TEST = 7;
    static final String RETURN = "return";

    List<double[]> testTargets() {
        return settings.targets().testTargets(control.env());
    }

    static String taskSet(PolicyArchitecture arch) {
        return "policy-" + arch.name();
    }

    /** Every (architecture, test target x seed) with the learned loss and with PPO. */
    @Override
    public List<MetaTestUnit> units() {
        List<MetaTestUnit> units = new ArrayList<>();
        for (PolicyArchitecture arch : settings.architectures()) {
            units.addAll(MetaTestUnit.bothMethods(taskSet(arch), settings.targets().count() * settings.seeds()));
        }
        return units;
    }

    private PpoTrainer ppoTrainer(PolicyArchitecture arch) {
        int s = control.start().length;
        return new PpoTrainer(control.env().simulator(), control.start(), control.horizon(), control.policy(arch),
                arch.network(2 * s, 1), settings.ppo());
    }

    /** Environment steps of one PPO rollout, the meta-test curves' unit. */
    long stepsPerCheckpoint() {
        return (long) ppoTrainer(trainArchitecture).episodesPerRollout() * control.horizon();
    }

    private PolicyArchitecture architectureOf(MetaTestUnit unit) {
        for (PolicyArchitecture arch : settings.architectures()) {
            if (taskSet(arch).equals(unit.taskSet())) {
                return arch;
            }
        }
        throw new IllegalArgumentException("no architecture for " + unit);
    }

    /**
     * One (architecture, target, seed): the mean action's return after every PPO rollout's worth
     * of environment steps ({@code [ppoRollouts + 1]}, index 0 the shared initial policy), for the
     * learned loss's SGD or for PPO, and the wall time per environment step.
     */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        PolicyArchitecture arch = architectureOf(unit);
        int target = unit.task() / settings.seeds();
        int seedIndex = unit.task() % settings.seeds();
        double[] goal = settings.targets().goalOf(control.env(), testTargets().get(target));
        long seed = Seeds.derive(runSeed, META_TEST, target, seedIndex);
        PpoTrainer ppo = ppoTrainer(arch);
        long t0 = System.nanoTime();
        double[] returns;
        long steps;
        if (unit.learnedLoss()) {
            returns = learnedLossCurve(backend, phi, arch, ppo, goal, seed);
            steps = (long) (returns.length - 1) * ppo.episodesPerRollout() * control.horizon();
        } else {
            PpoTrainer.Progress progress = ppo.train(backend, goal, settings.ppoRollouts(), seed);
            returns = progress.meanActionReturns();
            steps = progress.envSteps(settings.ppoRollouts());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new MetaTestMeasurement(unit, Map.of(RETURN, returns,
                ModelFreeExperiment.SECONDS_PER_STEP, new double[] {seconds / steps}));
    }

    /**
     * SGD on the learned loss from PPO's initial policy (its mean; the log standard deviation
     * starts where meta-training started it), each step on {@code episodes} fresh episodes.
     */
    private double[] learnedLossCurve(Backend backend, double[] phi, PolicyArchitecture arch, PpoTrainer ppo,
                                      double[] goal, long seed) {
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        double[][] goals = {goal};
        GaussianPolicy pi = control.policy(arch).forGoals(control.goalStates(goals));
        List<Tensor> theta = ppo.initialPolicy(backend, seed, control.initialLogStd());
        int horizon = control.horizon();
        long perRollout = (long) ppo.episodesPerRollout() * horizon;
        long perStep = (long) settings.episodes() * horizon;
        double[] returns = new double[settings.ppoRollouts() + 1];
        long used = 0;
        int step = 0;
        for (int c = 0; c <= settings.ppoRollouts(); c++) {
            while (used + perStep <= c * perRollout) {
                long[][] seeds = new long[1][settings.episodes()];
                for (int e = 0; e < seeds[0].length; e++) {
                    seeds[0][e] = Seeds.derive(seed, 5, step, e);
                }
                PolicyEpisodes episodes = control.episodes(pi, theta, goals, seeds);
                theta = InnerLoop.update(theta, control.learnedLossOn(loss, pi, theta, episodes, goals),
                        settings.learningRate(), false);
                used += perStep;
                step++;
            }
            returns[c] = GoalReward.meanActionReturn(control.env().simulator(), pi, theta, control.start(), horizon, goal);
        }
        return returns;
    }
}
