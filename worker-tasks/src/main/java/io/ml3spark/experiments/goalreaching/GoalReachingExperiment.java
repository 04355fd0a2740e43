package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GoalConditionedPolicy;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.control.dynamics.DynamicsEnsemble;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Model-based ML3 on goal reaching (paper Fig. 3; ReacherGoal of ML3-SPEC, PointmassGoal of
 * ML3-PAPER-EXTRAS): a policy on (state, goal) starts every outer iteration from the run's one
 * stored initial policy, takes SGD steps on the learned loss of (state_t, action_t,
 * |s_T - goal state|) over a rollout through the learned dynamics ensemble, and the meta-objective
 * is the goal-reaching task loss of the updated policy's rollout through the same ensemble.
 * Each ML3 task is a goal. The meta-test trains the stored initial policy for new goals with the
 * learned loss and with the task loss, the gradients through the same learned model (or the
 * simulator), and measures the real simulator's rollouts.
 */
public final class GoalReachingExperiment implements ModelBasedExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "goal-reaching";

    private static final long POLICY_INIT = 1;
    private static final long PHI_INIT = 2;
    private static final long TRAIN_TARGETS = 3;
    private static final long RANDOM_ACTIONS = 4;
    /** Test targets drawn from a region do not depend on the run seed: every seed meets the same ones. */
    private static final long TEST_TARGETS = 0x7e57_7a29L;

    /** The learned model: its network, fit, ensemble size, first data, refit interval and the clipping of its states. */
    public record LearnedDynamics(ProbabilisticDynamics model, DynamicsFit fit, int members, int randomRollouts,
                                  int refitEvery, double positionLimit, double velocityLimit)
            implements java.io.Serializable {
        public LearnedDynamics {
            if (members < 1 || randomRollouts < 1 || refitEvery < 1) {
                throw new IllegalArgumentException("dynamics: members, random rollouts and refit interval must be >= 1");
            }
            if (!(positionLimit > 0 && velocityLimit > 0)) {
                throw new IllegalArgumentException("dynamics: position and velocity limits must be positive");
            }
        }
    }

    /** Targets in the plane: the listed ones, then {@code drawn} more from {@code region}. */
    public record Targets(List<double[]> listed, TargetRegion region, int drawn) implements java.io.Serializable {
        public Targets {
            listed = List.copyOf(listed);
            if (drawn < 0 || listed.isEmpty() && drawn == 0 || drawn > 0 && region == null) {
                throw new IllegalArgumentException("targets: list at least one, or draw at least one from a region");
            }
        }

        public int count() {
            return listed.size() + drawn;
        }
    }

    /** The meta-test: SGD steps and learning rate, and whether gradients come through the learned model or the simulator. */
    public record GoalMetaTest(int steps, double learningRate, boolean throughModel) implements java.io.Serializable {
    }

    private final GoalEnvironment env;
    private final double[] start;
    private final int horizon;
    private final GoalConditionedPolicy policy;
    private final LearnedLoss learnedLoss;
    private final double[] lossScale;
    private final InnerLoop innerLoop;
    private final GoalReachingLoss taskLoss;
    private final Targets train;
    private final Targets test;
    private final GoalMetaTest metaTest;
    private final LearnedDynamics dynamics;
    private final DynamicsEnsemble ensemble;

    public GoalReachingExperiment(GoalEnvironment env, double[] start, int horizon, Mlp policy, double[] policyScale,
                                  LearnedLoss learnedLoss, double[] lossScale, InnerLoop innerLoop,
                                  GoalReachingLoss taskLoss, Targets train, Targets test, GoalMetaTest metaTest,
                                  LearnedDynamics dynamics) {
        this(env, start, horizon, new GoalConditionedPolicy(policy, Init.TORCH_DEFAULT, policyScale,
                new double[env.stateNames().size()], env.stateNames().size()), learnedLoss, lossScale, innerLoop, taskLoss, train, test,
                metaTest, dynamics, null);
        int s = env.stateNames().size();
        int a = env.actionNames().size();
        if (start.length != s) {
            throw new IllegalArgumentException("start state needs " + s + " numbers " + env.stateNames());
        }
        if (horizon < 1) {
            throw new IllegalArgumentException("horizon must be >= 1, got " + horizon);
        }
        if (policy.inputSize() != 2 * s || policy.outputSize() != a) {
            throw new IllegalArgumentException("the policy maps (state, goal state) (" + 2 * s + ") to " + a
                    + " actions, got " + policy);
        }
        if (learnedLoss.network().inputSize() != s + a + 1 || lossScale.length != s + a + 1) {
            throw new IllegalArgumentException("the learned loss and its scale take (state, action, goal distance) ("
                    + (s + a + 1) + " numbers)");
        }
        if (taskLoss.positions() != env.positions()) {
            throw new IllegalArgumentException("the task loss measures " + env.positions() + " positions");
        }
        for (double[] t : train.listed()) {
            env.goalOf(t);
        }
        for (double[] t : test.listed()) {
            env.goalOf(t);
        }
    }

    private GoalReachingExperiment(GoalEnvironment env, double[] start, int horizon, GoalConditionedPolicy policy,
                                   LearnedLoss learnedLoss, double[] lossScale, InnerLoop innerLoop,
                                   GoalReachingLoss taskLoss, Targets train, Targets test, GoalMetaTest metaTest,
                                   LearnedDynamics dynamics, DynamicsEnsemble ensemble) {
        this.env = env;
        this.start = start.clone();
        this.horizon = horizon;
        this.policy = policy;
        this.learnedLoss = learnedLoss;
        this.lossScale = lossScale.clone();
        this.innerLoop = innerLoop;
        this.taskLoss = taskLoss;
        this.train = train;
        this.test = test;
        this.metaTest = metaTest;
        this.dynamics = dynamics;
        this.ensemble = ensemble;
    }

    /** Builds the experiment from its config section (see conf/reacher-mbrl.conf). */
    public static GoalReachingExperiment fromSettings(Settings s) {
        return GoalReachingSettings.experiment(s);
    }

    @Override
    public String name() {
        return NAME;
    }

    public GoalEnvironment environment() {
        return env;
    }

    public int horizon() {
        return horizon;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return learnedLoss;
    }

    /** PyTorch's default init of the reference's nn.Linear layers. */
    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0);
    }

    @Override
    public int tasksPerIteration() {
        return train.listed().isEmpty() ? train.drawn() : train.listed().size();
    }

    @Override
    public MetaGradientEstimator estimator() {
        return new UnrolledBackprop(innerLoop, false);
    }

    @Override
    public int refitEvery() {
        return dynamics.refitEvery();
    }

    @Override
    public ProbabilisticDynamics dynamicsModel() {
        return dynamics.model();
    }

    @Override
    public DynamicsFit dynamicsFit() {
        return dynamics.fit();
    }

    @Override
    public int ensembleMembers() {
        return dynamics.members();
    }

    @Override
    public DynamicsEnsemble ensemble(List<double[]> members) {
        return new DynamicsEnsemble(dynamics.model(), members, dynamics.model().outputScale(), dynamics.positionLimit(),
                dynamics.velocityLimit(), env.actionLimit());
    }

    @Override
    public GoalReachingExperiment withEnsemble(DynamicsEnsemble newEnsemble) {
        return new GoalReachingExperiment(env, start, horizon, policy, learnedLoss, lossScale, innerLoop, taskLoss, train,
                test, metaTest, dynamics, newEnsemble);
    }

    @Override
    public DynamicsEnsemble currentEnsemble() {
        return ensemble;
    }

    private DynamicsEnsemble requireEnsemble() {
        if (ensemble == null) {
            throw new IllegalStateException(NAME + ": no dynamics model has been fitted yet");
        }
        return ensemble;
    }

    /** Training target {@code task} of outer iteration {@code iteration}: listed, or drawn from the run's stream. */
    public double[] trainTarget(long runSeed, long iteration, int task) {
        if (!train.listed().isEmpty()) {
            return train.listed().get(task);
        }
        return train.region().draw(env, new SplittableRandom(Seeds.derive(runSeed, TRAIN_TARGETS, iteration, task)));
    }

    /** The meta-test's targets: the listed ones, then the drawn ones (the same for every run seed). */
    public List<double[]> testTargets() {
        List<double[]> targets = new ArrayList<>(test.listed());
        for (int j = 0; j < test.drawn(); j++) {
            targets.add(test.region().draw(env, new SplittableRandom(Seeds.derive(TEST_TARGETS, j))));
        }
        return targets;
    }

    /** The run's stored initial policy, once per task. */
    List<Tensor> initialPolicy(Backend backend, long runSeed, int tasks) {
        long[] seeds = new long[tasks];
        Arrays.fill(seeds, Seeds.derive(runSeed, POLICY_INIT));
        return policy.initialize(backend, seeds);
    }

    /** The goals (position coordinates) of targets, flat {@code [B * P]}. */
    private double[] goalsOf(List<double[]> targets) {
        int p = env.positions();
        double[] goals = new double[targets.size() * p];
        for (int t = 0; t < targets.size(); t++) {
            System.arraycopy(env.goalOf(targets.get(t)), 0, goals, t * p, p);
        }
        return goals;
    }

    private List<double[]> trainTargets(long runSeed, long iteration, int[] taskIndices) {
        List<double[]> targets = new ArrayList<>();
        for (int t : taskIndices) {
            targets.add(trainTarget(runSeed, iteration, t));
        }
        return targets;
    }

    /** The iteration's tasks: their goals, the stored initial policy, rollouts through the ensemble. */
    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return TaskGroup.of(problem(backend, requireEnsemble(), goalsOf(trainTargets(runSeed, iteration, taskIndices)),
                initialPolicy(backend, runSeed, taskIndices.length)));
    }

    /**
     * The tasks of goals (positions, flat {@code [B * P]}) from {@code theta}, rolled out in
     * {@code through}. The policy and the learned loss see each goal as a goal state: its
     * positions at rest (velocities 0).
     */
    private RolloutProblem problem(Backend backend, Environment through, double[] goals, List<Tensor> theta) {
        int p = env.positions();
        int b = goals.length / p;
        Tensor goal = Tensor.constant(backend, goals, b, 1, p);
        double[] goalStates = goalStates(goals);
        Tensor goalState = Tensor.constant(backend, goalStates, b, 1, start.length);
        return new RolloutProblem(through, policy.forGoals(goalStates), start, horizon, theta,
                (loss, r) -> learnedLossOf(loss, r, goalState), r -> taskLoss.perTask(r.states(), goal));
    }

    /** Goal positions {@code [B * P]} as goal states at rest {@code [B * S]}. */
    private double[] goalStates(double[] goals) {
        int p = env.positions();
        int b = goals.length / p;
        double[] states = new double[b * start.length];
        for (int t = 0; t < b; t++) {
            System.arraycopy(goals, t * p, states, t * start.length, p);
        }
        return states;
    }

    /**
     * M_phi on each step's scaled (state, action, |s_T - goal state|), averaged over steps,
     * summed over tasks. The distance is a function of the policy too, so the inner gradient
     * also flows through it.
     */
    private Tensor learnedLossOf(TrainingObjective loss, Rollout r, Tensor goalState) {
        Backend backend = goalState.backend();
        int b = r.states().shape().dim(0);
        int s = env.stateNames().size();
        int a = env.actionNames().size();
        Tensor states = r.statesBeforeActions().mul(Tensor.constant(backend, Arrays.copyOfRange(lossScale, 0, s), s));
        Tensor actions = r.actions().mul(Tensor.constant(backend, Arrays.copyOfRange(lossScale, s, s + a), a));
        Tensor distance = Functional.norm(r.finalState().sub(goalState), 2, false).mul(lossScale[s + a])
                .reshape(b, 1, 1).broadcastTo(Shape.of(b, r.horizon(), 1));
        return loss.value(actions, new TaskBatch(states, distance));
    }

    @Override
    public RealRollouts newRollouts(Backend backend, double[] phi, long runSeed, int iteration) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (iteration == 0) {
                return randomActionRollouts(backend, runSeed);
            }
            int tasks = tasksPerIteration();
            int[] all = java.util.stream.IntStream.range(0, tasks).toArray();
            double[] goals = goalsOf(trainTargets(runSeed, iteration + 1, all));
            List<Tensor> theta = initialPolicy(backend, runSeed, tasks);
            RolloutProblem model = problem(backend, requireEnsemble(), goals, theta);
            TrainingObjective loss = learnedLoss.withConstants(backend, phi);
            for (int k = 0; k < innerLoop.steps(); k++) {
                try (GradMode.Scope on = GradMode.set(true)) {
                    theta = InnerLoop.update(theta, model.innerLoss(loss, theta), innerLoop.learningRate(), false);
                }
            }
            Rollout real = Rollout.of(env.simulator(), policy.forGoals(goalStates(goals)), theta, start, horizon);
            return new RealRollouts(perEpisode(real.states()), perEpisode(real.actions()));
        }
    }

    /** ML3-SPEC's first data: rollouts of actions drawn uniformly within the limits, each step, from the start. */
    private RealRollouts randomActionRollouts(Backend backend, long runSeed) {
        int n = dynamics.randomRollouts();
        int a = env.actionNames().size();
        int s = start.length;
        SplittableRandom rng = new SplittableRandom(Seeds.derive(runSeed, RANDOM_ACTIONS));
        double[] s0 = new double[n * s];
        for (int r = 0; r < n; r++) {
            System.arraycopy(start, 0, s0, r * s, s);
        }
        Tensor state = Tensor.constant(backend, s0, n, 1, s);
        List<Tensor> states = new ArrayList<>(List.of(state));
        List<Tensor> actions = new ArrayList<>();
        for (int t = 0; t < horizon; t++) {
            double[] u = new double[n * a];
            for (int i = 0; i < u.length; i++) {
                u[i] = env.actionLimit() * (2 * rng.nextDouble() - 1);
            }
            Tensor action = Tensor.constant(backend, u, n, 1, a);
            state = env.simulator().step(state, action);
            states.add(state);
            actions.add(action);
        }
        return new RealRollouts(perEpisode(Tensor.concat(states, 1)), perEpisode(Tensor.concat(actions, 1)));
    }

    /** {@code [B, N, C]} as {@code [B][N][C]}. */
    private static double[][][] perEpisode(Tensor t) {
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

    @Override
    public List<MetaTestUnit> metaTestUnits() {
        return MetaTestUnit.bothMethods(GoalReachingReport.TEST, test.count());
    }

    /**
     * One test target trained from the stored initial policy by {@code steps} SGD steps on the
     * learned loss or on the task loss; after each step, the real simulator's rollout is measured.
     */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        double[] target = testTargets().get(unit.task());
        double[] goals = env.goalOf(target);
        Environment gradients = metaTest.throughModel() ? requireEnsemble() : env.simulator();
        RolloutProblem problem = problem(backend, gradients, goals, initialPolicy(backend, runSeed, 1));
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        Tensor goal = Tensor.constant(backend, goals, 1, 1, goals.length);
        List<Tensor> theta = problem.initialParameters();
        int steps = metaTest.steps();
        double[] effectorDistance = new double[steps + 1];
        double[] taskLosses = new double[steps + 1];
        double[] paths = new double[2 * 2 * (horizon + 1)];
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                Tensor objective = unit.learnedLoss() ? problem.innerLoss(loss, theta) : problem.taskLoss(theta).sum();
                theta = InnerLoop.update(theta, objective, metaTest.learningRate(), false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Rollout real = Rollout.of(env.simulator(), policy.forGoals(goalStates(goals)), theta, start, horizon);
                taskLosses[step] = taskLoss.perTask(real.states(), goal).item();
                double[][] path = effectorPath(real);
                double[] end = path[horizon];
                effectorDistance[step] = Math.hypot(end[0] - target[0], end[1] - target[1]);
                if (step == 0 || step == steps) {
                    int offset = step == 0 ? 0 : 2 * (horizon + 1);
                    for (int t = 0; t <= horizon; t++) {
                        paths[offset + 2 * t] = path[t][0];
                        paths[offset + 2 * t + 1] = path[t][1];
                    }
                }
            }
        }
        return new MetaTestMeasurement(unit, Map.of(GoalReachingReport.DISTANCE, effectorDistance,
                GoalReachingReport.TASK_LOSS, taskLosses, GoalReachingReport.PATHS, paths));
    }

    /** The effector's point in the plane at each state of a one-task rollout. */
    private double[][] effectorPath(Rollout r) {
        double[] s = r.states().toArray();
        int size = start.length;
        double[][] path = new double[horizon + 1][];
        for (int t = 0; t <= horizon; t++) {
            path[t] = env.effector(Arrays.copyOfRange(s, t * size, t * size + env.positions()));
        }
        return path;
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<double[]> trainTargets = new ArrayList<>();
        for (int t = 0; t < tasksPerIteration(); t++) {
            trainTargets.add(trainTarget(runSeed, 1, t));
        }
        return GoalReachingReport.of(env.name(), horizon, metaTest.steps(), trainTargets, testTargets(), measured);
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, GoalReachingExperiment::fromSettings);
        }
    }
}
