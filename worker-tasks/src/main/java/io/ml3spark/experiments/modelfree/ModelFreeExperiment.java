package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.control.GoalReward;
import io.ml3spark.control.ppo.PpoTrainer;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.goalreaching.Targets;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Model-free ML3 against PPO (paper Fig. 4; docs/method.md "Model-free RL against PPO"). A
 * task is a goal; its Gaussian policy starts from PPO's initialisation, fresh per (run seed,
 * iteration, task). An inner step is SGD on M_phi over a batch of the current policy's episodes
 * on the real simulator, M_phi reading each step's (state, taken action, reward, the policy's
 * mean action, the taken action's log-probability, goal): the last two are where the inner
 * gradient reaches the policy. The meta-objective is the REINFORCE surrogate on fresh episodes
 * of the updated policy, with the mean return as its baseline, differentiated through the inner
 * steps (second order); with {@code afterEveryStep}, summed over the policies after every step,
 * so that the loss keeps improving a policy it has already improved. The meta-test trains new policies, of several architectures, with the
 * learned loss and with PPO for the same environment steps.
 */
public final class ModelFreeExperiment implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "model-free";
    private static final long PHI_INIT = 2;
    private static final long POLICY_INIT = 4;
    private static final long INNER_EPISODES = 5;
    private static final long FRESH_EPISODES = 6;
    private static final long META_TEST = 7;
    static final String RETURN = "return";
    /** A measured wall time, not a number of the computation (fingerprints leave it out). */
    public static final String SECONDS_PER_STEP = "seconds_per_env_step";

    private final GoalEnvironment env;
    private final double[] start;
    private final int horizon;
    private final PolicyArchitecture architecture;
    private final double[] policyScale;
    private final double initialLogStd;
    private final LearnedLoss learnedLoss;
    private final double[] lossScale;
    private final InnerLoop innerLoop;
    private final int innerEpisodes;
    private final int freshEpisodes;
    private final boolean afterEveryStep;
    private final Targets train;
    private final ModelFreeMetaTest metaTest;

    public ModelFreeExperiment(GoalEnvironment env, double[] start, int horizon, PolicyArchitecture architecture,
                               double[] policyScale, double initialLogStd, LearnedLoss learnedLoss, double[] lossScale,
                               InnerLoop innerLoop, int innerEpisodes, int freshEpisodes, boolean afterEveryStep,
                               Targets train, ModelFreeMetaTest metaTest) {
        int s = env.stateNames().size();
        if (start.length != s || policyScale.length != 2 * s || horizon < 1 || innerEpisodes < 1 || freshEpisodes < 2) {
            throw new IllegalArgumentException("a start state of " + s + " numbers, a policy scale of " + 2 * s
                    + ", horizon and inner episodes >= 1 and at least 2 fresh episodes (the baseline needs two)");
        }
        if (learnedLoss.network().inputSize() != lossScale.length) {
            throw new IllegalArgumentException("the learned loss's scale has " + lossScale.length + " numbers for "
                    + learnedLoss.network().inputSize() + " inputs");
        }
        this.env = env;
        this.start = start.clone();
        this.horizon = horizon;
        this.architecture = architecture;
        this.policyScale = policyScale.clone();
        this.initialLogStd = initialLogStd;
        this.learnedLoss = learnedLoss;
        this.lossScale = lossScale.clone();
        this.innerLoop = innerLoop;
        this.innerEpisodes = innerEpisodes;
        this.freshEpisodes = freshEpisodes;
        this.afterEveryStep = afterEveryStep;
        this.train = train;
        this.metaTest = metaTest;
    }

    public static ModelFreeExperiment fromSettings(Settings s) {
        return ModelFreeSettings.experiment(s);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return learnedLoss;
    }

    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0);
    }

    @Override
    public int tasksPerIteration() {
        return train.perIteration();
    }

    @Override
    public MetaGradientEstimator estimator() {
        return new UnrolledBackprop(innerLoop, afterEveryStep);
    }

    public GoalEnvironment env() {
        return env;
    }

    public ModelFreeMetaTest metaTestSettings() {
        return metaTest;
    }

    /** The Gaussian policy of an architecture on (state, goal state), no goals yet. */
    GaussianPolicy policy(PolicyArchitecture arch) {
        int s = start.length;
        return new GaussianPolicy(new GoalConditionedPolicy(arch.network(2 * s, env.actionNames().size()),
                Init.TORCH_DEFAULT, policyScale, new double[s], s, true), initialLogStd);
    }

    /** Goal positions as goal states at rest, flat {@code [B * S]}. */
    double[] goalStates(double[][] goals) {
        int s = start.length;
        double[] states = new double[goals.length * s];
        for (int t = 0; t < goals.length; t++) {
            System.arraycopy(goals[t], 0, states, t * s, goals[t].length);
        }
        return states;
    }

    /** Where a task group's episodes come from: step k's inner batch, or the fresh batch after step k. */
    @FunctionalInterface
    interface EpisodeSource {
        PolicyEpisodes episodes(int step, boolean fresh, List<Tensor> theta);
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        TrainingGoals g = trainingGoals(runSeed, iteration, taskIndices);
        GaussianPolicy pi = policy(architecture).forGoals(goalStates(g.goals()));
        return TaskGroup.of(problem(pi, pi.orthogonal(backend, g.initSeeds()), g.goals(), sampler(pi, g.goals(),
                runSeed, iteration, taskIndices)));
    }

    /** The goals of an iteration's tasks and the seeds of their policies' initialisations. */
    record TrainingGoals(double[][] goals, long[] initSeeds) {
    }

    TrainingGoals trainingGoals(long runSeed, long iteration, int[] taskIndices) {
        int b = taskIndices.length;
        double[][] goals = new double[b][];
        long[] initSeeds = new long[b];
        for (int t = 0; t < b; t++) {
            goals[t] = train.goalOf(env, train.trainTarget(env, runSeed, iteration, taskIndices[t]));
            initSeeds[t] = Seeds.derive(runSeed, POLICY_INIT, iteration, taskIndices[t]);
        }
        return new TrainingGoals(goals, initSeeds);
    }

    /** Episodes on the real simulator, seeded per (run seed, iteration, task, step, episode). */
    EpisodeSource sampler(GaussianPolicy pi, double[][] goals, long runSeed, long iteration, int[] taskIndices) {
        double[] goalStates = goalStates(goals);
        return (step, fresh, theta) -> PolicyEpisodes.sample(env.simulator(), pi, theta, goals, goalStates, start, horizon,
                episodeSeeds(runSeed, fresh ? FRESH_EPISODES : INNER_EPISODES, iteration, taskIndices, step,
                        fresh ? freshEpisodes : innerEpisodes));
    }

    /** The ML3 tasks of policies {@code pi} from {@code theta0} toward {@code goals}, on the episodes of {@code source}. */
    InnerProblem problem(GaussianPolicy pi, List<Tensor> theta0, double[][] goals, EpisodeSource source) {
        return new InnerProblem() {
            private int step;

            @Override
            public List<Tensor> initialParameters() {
                return theta0;
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> theta) {
                return learnedLossOn(loss, pi, theta, source.episodes(step++, false, theta), goals);
            }

            @Override
            public Tensor taskLoss(List<Tensor> theta) {
                return source.episodes(step, true, theta).reinforce(pi, theta);
            }
        };
    }

    private static long[][] episodeSeeds(long runSeed, long stream, long iteration, int[] tasks, int step, int episodes) {
        long[][] seeds = new long[tasks.length][episodes];
        for (int t = 0; t < tasks.length; t++) {
            for (int e = 0; e < episodes; e++) {
                seeds[t][e] = Seeds.derive(runSeed, stream, iteration, tasks[t], step, e);
            }
        }
        return seeds;
    }

    /**
     * M_phi on each visited step's scaled (state, taken action, reward | mean action,
     * log-probability | goal), averaged over the steps, summed over the tasks.
     */
    Tensor learnedLossOn(TrainingObjective loss, GaussianPolicy pi, List<Tensor> theta, PolicyEpisodes episodes,
                         double[][] goals) {
        Backend backend = episodes.states().backend();
        int s = start.length;
        int a = pi.actions();
        int p = env.positions();
        int b = goals.length;
        int n = episodes.states().shape().dim(1);
        Tensor mean = pi.predict(theta, episodes.states());
        Tensor logp = pi.logProbability(theta, episodes.states(), episodes.actions()).reshape(b, n, 1);
        Tensor inputs = Tensor.concat(List.of(episodes.states(), episodes.actions(), episodes.rewards()), -1)
                .mul(scale(backend, 0, s + a + 1));
        Tensor prediction = Tensor.concat(List.of(mean, logp), -1).mul(scale(backend, s + a + 1, s + 2 * a + 2));
        double[] flatGoals = Arrays.stream(goals).flatMapToDouble(Arrays::stream).toArray();
        Tensor targets = Tensor.constant(backend, flatGoals, b, 1, p).broadcastTo(Shape.of(b, n, p))
                .mul(scale(backend, s + 2 * a + 2, s + 2 * a + 2 + p));
        return loss.value(prediction, new TaskBatch(inputs, targets));
    }

    private Tensor scale(Backend backend, int from, int to) {
        return Tensor.constant(backend, Arrays.copyOfRange(lossScale, from, to), to - from);
    }

    public List<double[]> testTargets() {
        return metaTest.targets().testTargets(env);
    }

    static String taskSet(PolicyArchitecture arch) {
        return "policy-" + arch.name();
    }

    /** Every (architecture, test target x seed) with the learned loss and with PPO. */
    @Override
    public List<MetaTestUnit> metaTestUnits() {
        List<MetaTestUnit> units = new ArrayList<>();
        for (PolicyArchitecture arch : metaTest.architectures()) {
            units.addAll(MetaTestUnit.bothMethods(taskSet(arch), metaTest.targets().count() * metaTest.seeds()));
        }
        return units;
    }

    PpoTrainer ppoTrainer(PolicyArchitecture arch) {
        int s = start.length;
        return new PpoTrainer(env.simulator(), start, horizon, policy(arch), arch.network(2 * s, 1), metaTest.ppo());
    }

    private PolicyArchitecture architectureOf(MetaTestUnit unit) {
        for (PolicyArchitecture arch : metaTest.architectures()) {
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
        int target = unit.task() / metaTest.seeds();
        int seedIndex = unit.task() % metaTest.seeds();
        double[] goal = metaTest.targets().goalOf(env, testTargets().get(target));
        long seed = Seeds.derive(runSeed, META_TEST, target, seedIndex);
        PpoTrainer ppo = ppoTrainer(arch);
        long t0 = System.nanoTime();
        double[] returns;
        long steps;
        if (unit.learnedLoss()) {
            returns = learnedLossCurve(backend, phi, arch, ppo, goal, seed);
            steps = (long) (returns.length - 1) * ppo.episodesPerRollout() * horizon;
        } else {
            PpoTrainer.Progress progress = ppo.train(backend, goal, metaTest.ppoRollouts(), seed);
            returns = progress.meanActionReturns();
            steps = progress.envSteps(metaTest.ppoRollouts());
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new MetaTestMeasurement(unit, Map.of(RETURN, returns, SECONDS_PER_STEP, new double[] {seconds / steps}));
    }

    /**
     * SGD on the learned loss from PPO's initial policy (its mean; the log standard deviation
     * starts where meta-training started it), each step on {@code episodes} fresh episodes.
     */
    private double[] learnedLossCurve(Backend backend, double[] phi, PolicyArchitecture arch, PpoTrainer ppo,
                                      double[] goal, long seed) {
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        double[][] goals = {goal};
        double[] goalStates = goalStates(goals);
        GaussianPolicy pi = policy(arch).forGoals(goalStates);
        List<Tensor> theta = ppo.initialPolicy(backend, seed, initialLogStd);
        long perRollout = (long) ppo.episodesPerRollout() * horizon;
        long perStep = (long) metaTest.episodes() * horizon;
        double[] returns = new double[metaTest.ppoRollouts() + 1];
        long used = 0;
        int step = 0;
        for (int c = 0; c <= metaTest.ppoRollouts(); c++) {
            while (used + perStep <= c * perRollout) {
                long[][] seeds = new long[1][metaTest.episodes()];
                for (int e = 0; e < seeds[0].length; e++) {
                    seeds[0][e] = Seeds.derive(seed, 5, step, e);
                }
                PolicyEpisodes episodes = PolicyEpisodes.sample(env.simulator(), pi, theta, goals, goalStates, start,
                        horizon, seeds);
                theta = InnerLoop.update(theta, learnedLossOn(loss, pi, theta, episodes, goals), metaTest.learningRate(),
                        false);
                used += perStep;
                step++;
            }
            returns[c] = GoalReward.meanActionReturn(env.simulator(), pi, theta, start, horizon, goal);
        }
        return returns;
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        return ModelFreeReport.of(this, measured);
    }

    public int horizon() {
        return horizon;
    }

    public PolicyArchitecture trainArchitecture() {
        return architecture;
    }

    /** The meta-train policy's initial parameters for one goal (the first meta-test target). */
    public List<Tensor> trainPolicy(Backend backend, long seed) {
        return policy(architecture).orthogonal(backend, new long[] {seed});
    }

    /** {@code episodes} episodes of the meta-train policy toward the first meta-test target (for the benchmark). */
    public PolicyEpisodes sampleEpisodes(List<Tensor> theta, int episodes, long seed) {
        double[][] goals = {metaTest.targets().goalOf(env, testTargets().get(0))};
        long[][] seeds = new long[1][episodes];
        for (int e = 0; e < episodes; e++) {
            seeds[0][e] = Seeds.derive(seed, e);
        }
        GaussianPolicy pi = policy(architecture).forGoals(goalStates(goals));
        return PolicyEpisodes.sample(env.simulator(), pi, theta, goals, goalStates(goals), start, horizon, seeds);
    }

    /** Environment steps of one PPO rollout, the meta-test curves' unit. */
    long stepsPerCheckpoint() {
        return (long) ppoTrainer(architecture).episodesPerRollout() * horizon;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, ModelFreeExperiment::fromSettings);
        }
    }
}
