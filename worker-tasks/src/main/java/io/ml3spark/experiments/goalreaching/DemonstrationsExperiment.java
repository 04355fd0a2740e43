package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.FlatParameters;
import io.ml3spark.nn.Init;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * ML3 from expert demonstrations (paper Fig. 6; docs/method.md): experts (a PD controller)
 * demonstrate reaching the training targets; an inner step is SGD on the learned loss of
 * (state_t, action_t, goal) over the policy's own rollout on the real simulator, and the
 * meta-objective is the behavioural-cloning error of the updated policy on the target's
 * demonstration. The learned loss never sees a demonstration, so it trains policies for targets
 * that have none. The meta-test trains the stored initial policy for each test target with the
 * learned loss, against one policy cloned from all the training targets' demonstrations.
 */
public final class DemonstrationsExperiment implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "goal-demonstrations";
    private static final long PHI_INIT = 2;

    /** Behavioural cloning, the baseline: Adam on the demonstrations' squared action error. */
    public record Cloning(int steps, double learningRate) implements java.io.Serializable {
        public Cloning {
            if (steps < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("behavioural cloning: steps >= 1 and a positive learning rate");
            }
        }
    }

    private final GoalTasks goalTasks;
    private final GoalEnvironment env;
    private final LearnedLoss learnedLoss;
    private final double[] lossScale;
    private final InnerLoop innerLoop;
    private final PdExpert expert;
    private final Targets train;
    private final Targets test;
    private final int testSteps;
    private final double testLearningRate;
    private final Cloning cloning;

    public DemonstrationsExperiment(GoalTasks goalTasks, LearnedLoss learnedLoss, double[] lossScale, InnerLoop innerLoop,
                                    PdExpert expert, Targets train, Targets test, int testSteps, double testLearningRate,
                                    Cloning cloning) {
        this.goalTasks = goalTasks;
        this.env = goalTasks.env();
        int width = 2 * env.positions() + env.stateNames().size() - env.positions() + env.actionNames().size();
        if (learnedLoss.network().inputSize() != width || lossScale.length != width) {
            throw new IllegalArgumentException("the learned loss and its scale take (state, action, goal) (" + width
                    + " numbers)");
        }
        if (!train.listed().isEmpty() && train.drawn() > 0 || train.listed().isEmpty()) {
            throw new IllegalArgumentException("the demonstrated targets are listed, none drawn");
        }
        train.goalsOf(env, train.listed());
        test.goalsOf(env, test.listed());
        this.learnedLoss = learnedLoss;
        this.lossScale = lossScale.clone();
        this.innerLoop = innerLoop;
        this.expert = expert;
        this.train = train;
        this.test = test;
        this.testSteps = testSteps;
        this.testLearningRate = testLearningRate;
        this.cloning = cloning;
    }

    public static DemonstrationsExperiment fromSettings(Settings s) {
        return GoalReachingSettings.demonstrations(s);
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
        return train.listed().size();
    }

    @Override
    public MetaGradientEstimator estimator() {
        return new UnrolledBackprop(innerLoop, false);
    }

    public List<double[]> testTargets() {
        return test.testTargets(env);
    }

    /** The demonstrations of the listed training targets. */
    public RealRollouts demonstrations(Backend backend, int[] taskIndices) {
        return expert.demonstrate(backend, goalTasks, goalsOf(taskIndices));
    }

    /** The goals of the listed training targets {@code taskIndices}, flat. */
    private double[] goalsOf(int[] taskIndices) {
        List<double[]> targets = new ArrayList<>();
        for (int t : taskIndices) {
            targets.add(train.listed().get(t));
        }
        return train.goalsOf(env, targets);
    }

    /** The demonstrated targets' tasks: the inner step on the policy's own rollout, the meta-objective its demonstration's cloning error. */
    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        double[] goals = goalsOf(taskIndices);
        RealRollouts demos = expert.demonstrate(backend, goalTasks, goals);
        Tensor demoStates = statesBeforeActions(backend, demos);
        Tensor demoActions = tensor(backend, demos.actions());
        List<Tensor> theta0 = goalTasks.initialPolicy(backend, runSeed, taskIndices.length);
        Tensor goal = goalTensor(backend, goals, goalTasks.horizon());
        return TaskGroup.of(new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return theta0;
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> theta) {
                return learnedLossOf(loss, goalTasks.rollout(env.simulator(), goals, theta), goal);
            }

            @Override
            public Tensor taskLoss(List<Tensor> theta) {
                return cloningError(goalTasks.policyFor(goals).predict(theta, demoStates), demoActions);
            }
        });
    }

    /** Each task's mean squared action error against its demonstration, {@code [B]}. */
    private static Tensor cloningError(Tensor predicted, Tensor demonstrated) {
        Tensor error = predicted.sub(demonstrated);
        return error.mul(error).mean(false, 1, 2);
    }

    /** Goals (positions) repeated over the horizon's steps, {@code [B, T, P]}. */
    private Tensor goalTensor(Backend backend, double[] goals, int steps) {
        int p = env.positions();
        int b = goals.length / p;
        return Tensor.constant(backend, goals, b, 1, p).broadcastTo(Shape.of(b, steps, p));
    }

    /** M_phi on each step's scaled (state, action, goal), averaged over steps, summed over tasks. */
    private Tensor learnedLossOf(TrainingObjective loss, Rollout r, Tensor goal) {
        return goalTasks.learnedLoss(loss, r, lossScale, goal);
    }

    private static Tensor tensor(Backend backend, double[][][] v) {
        int b = v.length;
        int n = v[0].length;
        int c = v[0][0].length;
        double[] flat = new double[b * n * c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(v[i][j], 0, flat, (i * n + j) * c, c);
            }
        }
        return Tensor.constant(backend, flat, b, n, c);
    }

    /** The demonstrations' states s_0 .. s_{T-1}, the ones their actions were taken in. */
    private Tensor statesBeforeActions(Backend backend, RealRollouts demos) {
        return tensor(backend, demos.states()).slice(1, 0, goalTasks.horizon());
    }

    /**
     * The baseline: the stored initial policy cloned from every training target's demonstration
     * at once (each row with its own goal), by Adam.
     */
    List<Tensor> clonedPolicy(Backend backend, long runSeed) {
        int n = train.listed().size();
        RealRollouts demos = demonstrations(backend, IntStream.range(0, n).toArray());
        int t = goalTasks.horizon();
        int s = goalTasks.states();
        Tensor states = statesBeforeActions(backend, demos).reshape(1, n * t, s);
        Tensor actions = tensor(backend, demos.actions()).reshape(1, n * t, env.actionNames().size());
        double[] goalStates = goalTasks.goalStates(train.goalsOf(env, train.listed()));
        Tensor rowGoals = Tensor.constant(backend, goalStates, n, 1, s).broadcastTo(Shape.of(n, t, s)).reshape(1, n * t, s);
        List<Tensor> theta = goalTasks.initialPolicy(backend, runSeed, 1);
        List<Shape> shapes = theta.stream().map(Tensor::shape).toList();
        int size = theta.stream().mapToInt(p -> p.shape().size()).sum();
        Adam adam = new Adam(size, cloning.learningRate(), 0.9, 0.999, 1e-8);
        double[] flat = FlatParameters.flatten(theta);
        for (int step = 0; step < cloning.steps(); step++) {
            List<Tensor> p = FlatParameters.variables(backend, flat, shapes);
            Tensor loss = cloningError(goalTasks.policy().predict(p, states, rowGoals), actions).sum();
            flat = adam.step(flat, FlatParameters.flatten(Autograd.grad(loss, p, false)));
        }
        return FlatParameters.variables(backend, flat, shapes);
    }

    @Override
    public List<MetaTestUnit> metaTestUnits() {
        return MetaTestUnit.bothMethods(GoalReachingReport.TEST, test.count());
    }

    /**
     * One test target: the learned loss's policy after 0..steps SGD steps on its own real
     * rollouts, or the cloned policy (the same at every step); the final fingertip distance.
     */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        double[] target = testTargets().get(unit.task());
        double[] goals = test.goalOf(env, target);
        Tensor goal = goalTensor(backend, goals, goalTasks.horizon());
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        List<Tensor> theta = unit.learnedLoss() ? goalTasks.initialPolicy(backend, runSeed, 1) : clonedPolicy(backend, runSeed);
        int horizon = goalTasks.horizon();
        double[] distance = new double[testSteps + 1];
        double[] goalDistance = new double[testSteps + 1];
        double[] paths = new double[2 * 2 * (horizon + 1)];
        for (int step = 0; step <= testSteps; step++) {
            if (step > 0 && unit.learnedLoss()) {
                Tensor objective = learnedLossOf(loss, goalTasks.rollout(env.simulator(), goals, theta), goal);
                theta = InnerLoop.update(theta, objective, testLearningRate, false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Rollout real = goalTasks.rollout(env.simulator(), goals, theta);
                double[][] path = goalTasks.effectorPath(real);
                distance[step] = Math.hypot(path[horizon][0] - target[0], path[horizon][1] - target[1]);
                goalDistance[step] = goalTasks.goalDistance(real, goals);
                if (step == 0 || step == testSteps) {
                    int offset = step == 0 ? 0 : 2 * (horizon + 1);
                    for (int t = 0; t <= horizon; t++) {
                        paths[offset + 2 * t] = path[t][0];
                        paths[offset + 2 * t + 1] = path[t][1];
                    }
                }
            }
        }
        Map<String, double[]> series = new java.util.HashMap<>(Map.of(GoalReachingReport.DISTANCE, distance,
                GoalReachingReport.PATHS, paths));
        if (env.goalsInJointSpace()) {
            series.put(GoalReachingReport.GOAL_DISTANCE, goalDistance);
        }
        return new MetaTestMeasurement(unit, series);
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        return GoalReachingReport.ofDemonstrations(env.name(), env.goalsInJointSpace(), goalTasks.horizon(), testSteps, train.listed(), testTargets(),
                measured);
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, DemonstrationsExperiment::fromSettings);
        }
    }
}
