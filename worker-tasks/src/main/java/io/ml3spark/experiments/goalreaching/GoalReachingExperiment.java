package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.control.Undifferentiated;
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
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Model-based ML3 on goal reaching (paper Fig. 3; ReacherGoal of docs/method.md, PointmassGoal of
 * docs/method.md): a policy on (state, goal) starts every outer iteration from the run's one
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

    private static final long PHI_INIT = 2;
    private static final long RANDOM_ACTIONS = 4;

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

    /** What a meta-test step's rollout is differentiated through. */
    public enum Gradients {
        /** The real simulator's rollout as data: the loss reaches the policy through its actions only (the reference). */
        ACTIONS,
        /** The real simulator, differentiated (ours is). */
        SIMULATOR,
        /** The learned dynamics model. */
        MODEL
    }

    /**
     * The meta-test: SGD steps and learning rate, and what the learned loss's and the task
     * loss's rollouts are differentiated through (the reference: the learned loss on the real
     * simulator's rollouts as data, the task loss through the learned model).
     */
    public record GoalMetaTest(int steps, double learningRate, Gradients learnedLoss, Gradients taskLoss)
            implements java.io.Serializable {
    }

    private final GoalTasks goalTasks;
    private final GoalEnvironment env;
    private final LearnedLoss learnedLoss;
    private final double[] lossScale;
    private final InnerLoop innerLoop;
    private final GoalReachingLoss taskLoss;
    private final Targets train;
    private final Targets test;
    private final GoalMetaTest metaTest;
    private final LearnedDynamics dynamics;
    private final DynamicsEnsemble ensemble;
    private final boolean distanceGradient;

    /**
     * With {@code distanceGradient} the inner step also differentiates the learned loss's goal
     * distance input (the reference detaches it).
     */
    public GoalReachingExperiment(GoalTasks goalTasks, LearnedLoss learnedLoss, double[] lossScale, boolean distanceGradient,
                                  InnerLoop innerLoop, GoalReachingLoss taskLoss, Targets train, Targets test,
                                  GoalMetaTest metaTest, LearnedDynamics dynamics) {
        this(goalTasks, learnedLoss, lossScale, distanceGradient, innerLoop, taskLoss, train, test, metaTest, dynamics,
                null);
        GoalEnvironment e = goalTasks.env();
        int width = e.stateNames().size() + e.actionNames().size() + 1;
        if (learnedLoss.network().inputSize() != width || lossScale.length != width) {
            throw new IllegalArgumentException("the learned loss and its scale take (state, action, goal distance) ("
                    + width + " numbers)");
        }
        if (taskLoss.positions() != e.positions()) {
            throw new IllegalArgumentException("the task loss measures " + e.positions() + " positions");
        }
        train.goalsOf(e, train.listed());
        test.goalsOf(e, test.listed());
    }

    private GoalReachingExperiment(GoalTasks goalTasks, LearnedLoss learnedLoss, double[] lossScale,
                                   boolean distanceGradient, InnerLoop innerLoop, GoalReachingLoss taskLoss, Targets train,
                                   Targets test, GoalMetaTest metaTest, LearnedDynamics dynamics, DynamicsEnsemble ensemble) {
        this.goalTasks = goalTasks;
        this.distanceGradient = distanceGradient;
        this.env = goalTasks.env();
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
        return goalTasks.horizon();
    }

    public GoalTasks goalTasks() {
        return goalTasks;
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
        return train.perIteration();
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
        return new GoalReachingExperiment(goalTasks, learnedLoss, lossScale, distanceGradient, innerLoop, taskLoss, train,
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

    /** Training target {@code task} of outer iteration {@code iteration}. */
    public double[] trainTarget(long runSeed, long iteration, int task) {
        return train.trainTarget(env, runSeed, iteration, task);
    }

    /** The meta-test's targets (the same for every run seed). */
    public List<double[]> testTargets() {
        return test.testTargets(env);
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
        return TaskGroup.of(problem(backend, requireEnsemble(), train.goalsOf(env, trainTargets(runSeed, iteration, taskIndices)),
                goalTasks.initialPolicy(backend, runSeed, taskIndices.length)));
    }

    /**
     * The tasks of goals (positions, flat {@code [B * P]}) from {@code theta}, rolled out in
     * {@code through}; the learned loss sees each goal as its goal state.
     */
    private RolloutProblem problem(Backend backend, Environment through, double[] goals, List<Tensor> theta) {
        int p = env.positions();
        int b = goals.length / p;
        Tensor goal = Tensor.constant(backend, goals, b, 1, p);
        Tensor goalState = Tensor.constant(backend, goalTasks.goalStates(goals), b, 1, goalTasks.states());
        return new RolloutProblem(through, goalTasks.policyFor(goals), goalTasks.start(), goalTasks.horizon(), theta,
                (loss, r) -> learnedLossOf(loss, r, goalState), r -> taskLoss.perTask(r.states(), goal));
    }

    /**
     * M_phi on each step's scaled (state, action, |s_T - goal state|), averaged over steps,
     * summed over tasks; the distance is data unless {@code distanceGradient}.
     */
    private Tensor learnedLossOf(TrainingObjective loss, Rollout r, Tensor goalState) {
        int b = r.states().shape().dim(0);
        Tensor distance = Functional.norm(r.finalState().sub(goalState), 2, false).reshape(b, 1, 1)
                .broadcastTo(Shape.of(b, r.horizon(), 1));
        if (!distanceGradient) {
            distance = distance.detach();
        }
        return goalTasks.learnedLoss(loss, r, lossScale, distance);
    }

    @Override
    public RealRollouts newRollouts(Backend backend, double[] phi, long runSeed, int iteration) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (iteration == 0) {
                return randomActionRollouts(backend, runSeed);
            }
            int tasks = tasksPerIteration();
            int[] all = java.util.stream.IntStream.range(0, tasks).toArray();
            double[] goals = train.goalsOf(env, trainTargets(runSeed, iteration + 1, all));
            List<Tensor> theta = goalTasks.initialPolicy(backend, runSeed, tasks);
            RolloutProblem model = problem(backend, requireEnsemble(), goals, theta);
            TrainingObjective loss = learnedLoss.withConstants(backend, phi);
            for (int k = 0; k < innerLoop.steps(); k++) {
                try (GradMode.Scope on = GradMode.set(true)) {
                    theta = InnerLoop.update(theta, model.innerLoss(loss, theta), innerLoop.learningRate(), false);
                }
            }
            Rollout real = goalTasks.rollout(env.simulator(), goals, theta);
            return new RealRollouts(GoalTasks.perEpisode(real.states()), GoalTasks.perEpisode(real.actions()));
        }
    }

    /** The reference's first data (docs/method.md): rollouts of actions drawn uniformly within the limits, each step, from the start. */
    private RealRollouts randomActionRollouts(Backend backend, long runSeed) {
        int n = dynamics.randomRollouts();
        int a = env.actionNames().size();
        SplittableRandom rng = new SplittableRandom(Seeds.derive(runSeed, RANDOM_ACTIONS));
        Rollout r = Rollout.driven(env.simulator(), Rollout.startStates(backend, goalTasks.start(), n), goalTasks.horizon(),
                (t, state) -> {
                    double[] u = new double[n * a];
                    for (int i = 0; i < u.length; i++) {
                        u[i] = env.actionLimit() * (2 * rng.nextDouble() - 1);
                    }
                    return Tensor.constant(backend, u, n, 1, a);
                });
        return new RealRollouts(GoalTasks.perEpisode(r.states()), GoalTasks.perEpisode(r.actions()));
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
        double[] goals = test.goalOf(env, target);
        Environment gradients = switch (unit.learnedLoss() ? metaTest.learnedLoss() : metaTest.taskLoss()) {
            case ACTIONS -> new Undifferentiated(env.simulator());
            case SIMULATOR -> env.simulator();
            case MODEL -> requireEnsemble();
        };
        RolloutProblem problem = problem(backend, gradients, goals, goalTasks.initialPolicy(backend, runSeed, 1));
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        Tensor goal = Tensor.constant(backend, goals, 1, 1, goals.length);
        List<Tensor> theta = problem.initialParameters();
        int steps = metaTest.steps();
        double[] effectorDistance = new double[steps + 1];
        double[] goalDistance = new double[steps + 1];
        double[] taskLosses = new double[steps + 1];
        int horizon = goalTasks.horizon();
        double[] paths = new double[2 * 2 * (horizon + 1)];
        for (int step = 0; step <= steps; step++) {
            if (step > 0) {
                Tensor objective = unit.learnedLoss() ? problem.innerLoss(loss, theta) : problem.taskLoss(theta).sum();
                theta = InnerLoop.update(theta, objective, metaTest.learningRate(), false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Rollout real = goalTasks.rollout(env.simulator(), goals, theta);
                taskLosses[step] = taskLoss.perTask(real.states(), goal).item();
                double[][] path = goalTasks.effectorPath(real);
                double[] end = path[horizon];
                effectorDistance[step] = Math.hypot(end[0] - target[0], end[1] - target[1]);
                goalDistance[step] = goalTasks.goalDistance(real, goals);
                if (step == 0 || step == steps) {
                    int offset = step == 0 ? 0 : 2 * (horizon + 1);
                    for (int t = 0; t <= horizon; t++) {
                        paths[offset + 2 * t] = path[t][0];
                        paths[offset + 2 * t + 1] = path[t][1];
                    }
                }
            }
        }
        Map<String, double[]> series = new java.util.HashMap<>(Map.of(GoalReachingReport.DISTANCE, effectorDistance,
                GoalReachingReport.TASK_LOSS, taskLosses, GoalReachingReport.PATHS, paths));
        if (env.goalsInJointSpace()) {
            series.put(GoalReachingReport.GOAL_DISTANCE, goalDistance);
        }
        return new MetaTestMeasurement(unit, series);
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<double[]> trainTargets = new ArrayList<>();
        for (int t = 0; t < tasksPerIteration(); t++) {
            trainTargets.add(trainTarget(runSeed, 1, t));
        }
        return GoalReachingReport.of(env.name(), env.goalsInJointSpace(), goalTasks.horizon(), metaTest.steps(), trainTargets, testTargets(), measured);
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, GoalReachingExperiment::fromSettings);
        }
    }
}
