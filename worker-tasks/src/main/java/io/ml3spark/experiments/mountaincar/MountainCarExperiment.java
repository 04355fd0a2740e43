package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.FixedPoint;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.EvolutionStrategy;
import io.ml3spark.ml3.EvolutionStrategyEstimator;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.IntToLongFunction;
import java.util.function.ToDoubleFunction;

/**
 * MountainCar with an intermediate goal (paper Fig. 5 right): a linear policy is trained by
 * SGD on a learned loss of (state_t, action_t, |s_T - goal|); the meta-train task loss is the
 * mean distance of the differentiated rollout to the goal, optionally to an intermediate
 * goal for the first states (extra information that teaches the loss to swing back first).
 * Every outer iteration starts from the same initial policy, as the reference does; the
 * meta-test trains that policy with the learned loss, against SGD on the task loss
 * without the intermediate goal.
 */
public final class MountainCarExperiment implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "mountain-car";

    private static final long POLICY_INIT = 1;
    private static final long PHI_INIT = 2;
    /** The state component that is the car's position. */
    private static final int POSITION = 0;
    private static final long ES_NOISE = 3;

    /**
     * What one outer iteration trains on: {@code policies} initial policies (the run's fixed
     * one when not {@code resample}d, as the reference; fresh draws per iteration otherwise),
     * and the task loss after the last inner step only or summed over every inner step. The
     * meta-gradient of that objective is backpropagated through the inner steps, or, with an
     * {@code evolutionStrategy}, estimated from objective values alone (then each task of an
     * iteration is one antithetic pair on the run's first initial policy). With
     * {@code fixedPoint} the meta-gradient is instead that of the fixed-point objective
     * ({@link FixedPoint}); the task loss is still reported.
     */
    public record MetaTraining(int policies, boolean resample, boolean lossAfterEveryStep,
                               EvolutionStrategy evolutionStrategy, boolean fixedPoint) implements Serializable {
        public static final MetaTraining REFERENCE = new MetaTraining(1, false, false, null, false);

        public MetaTraining {
            if (policies < 1) {
                throw new IllegalArgumentException("policies per outer iteration must be >= 1, got " + policies);
            }
            if (evolutionStrategy != null && fixedPoint) {
                throw new IllegalArgumentException("one meta-gradient: evolution strategy or fixed point, not both");
            }
            if ((evolutionStrategy != null || fixedPoint) && (policies != 1 || resample)) {
                throw new IllegalArgumentException("the " + (fixedPoint ? "fixed-point objective" : "evolution strategy")
                        + " trains on the run's one fixed initial policy (policies = 1, resample = false)");
            }
        }

        public MetaTraining(int policies, boolean resample, boolean lossAfterEveryStep,
                            EvolutionStrategy evolutionStrategy) {
            this(policies, resample, lossAfterEveryStep, evolutionStrategy, false);
        }
    }

    private final MountainCar car;
    private final double[] start;
    private final int horizon;
    private final MlpOptimizee policy;
    private final LearnedLoss learnedLoss;
    private final InnerLoop innerLoop;
    private final MetaTraining metaTraining;
    private final MetaGradientEstimator estimator;
    private final boolean lossSeesPolicyOutput;
    private final GoalDistance taskLoss;
    private final int testSteps;
    private final double testLearningRate;

    public MountainCarExperiment(MountainCar car, double[] start, int horizon, Mlp policy, LearnedLoss learnedLoss,
                                 InnerLoop innerLoop, MetaTraining metaTraining, boolean lossSeesPolicyOutput,
                                 GoalDistance taskLoss, int testSteps, double testLearningRate) {
        if (policy.inputSize() != 2 || policy.outputSize() != 1) {
            throw new IllegalArgumentException("a MountainCar policy maps (position, velocity) to 1 action, got " + policy);
        }
        if (learnedLoss.network().inputSize() != 4) {
            throw new IllegalArgumentException("the MountainCar learned loss takes (position, velocity, action, distance)"
                    + ", got " + learnedLoss.network());
        }
        this.car = car;
        this.start = start.clone();
        this.horizon = horizon;
        this.policy = new MlpOptimizee(policy, Init.TORCH_DEFAULT, 0.0);
        this.learnedLoss = learnedLoss;
        this.innerLoop = innerLoop;
        this.metaTraining = metaTraining;
        UnrolledBackprop backprop = new UnrolledBackprop(innerLoop, metaTraining.lossAfterEveryStep());
        this.estimator = metaTraining.fixedPoint() ? new FixedPoint(innerLoop, metaTraining.lossAfterEveryStep())
                : metaTraining.evolutionStrategy() != null
                ? new EvolutionStrategyEstimator(metaTraining.evolutionStrategy(), backprop) : backprop;
        this.lossSeesPolicyOutput = lossSeesPolicyOutput;
        this.taskLoss = taskLoss;
        this.testSteps = testSteps;
        this.testLearningRate = testLearningRate;
    }

    /** Builds the experiment from its config section (see conf/mountain-car.conf). */
    public static MountainCarExperiment fromSettings(Settings s) {
        return MountainCarSettings.experiment(s);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return learnedLoss;
    }

    public GoalDistance taskLoss() {
        return taskLoss;
    }

    /** PyTorch's default init of the reference's nn.Linear layers (weights and biases). */
    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0);
    }

    /** The start state and goal are fixed; tasks differ by their initial policy only. */
    @Override
    public int tasksPerIteration() {
        EvolutionStrategy es = metaTraining.evolutionStrategy();
        return es == null ? metaTraining.policies() : es.pairs();
    }

    @Override
    public MetaGradientEstimator estimator() {
        return estimator;
    }

    /**
     * Backpropagation trains on the iteration's policies; the evolution strategy and the
     * fixed-point objective on the run's one initial policy, each task index of the evolution
     * strategy being one antithetic pair of noise on it.
     */
    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        if (estimator instanceof EvolutionStrategyEstimator) {
            return new TaskGroup(controlFrom(initialPolicy(backend, runSeed, 0)),
                    seeds(taskIndices, pair -> Seeds.derive(runSeed, ES_NOISE, iteration, pair)));
        }
        if (estimator instanceof FixedPoint) {
            return TaskGroup.of(controlFrom(initialPolicy(backend, runSeed, 0)));
        }
        return TaskGroup.of(controlFrom(metaTrainPolicy(backend, runSeed, iteration, taskIndices)));
    }

    /** The control problem from policies {@code theta}: steps descend the learned loss of a rollout, tasks measure its goal distance. */
    private RolloutProblem controlFrom(List<Tensor> theta) {
        return new RolloutProblem(car, policy, start, horizon, theta, this::learnedLossOf, taskLoss::perTask);
    }

    /** The fixed-point objective's terms (see {@link FixedPoint}) from the run's initial policy. */
    FixedPoint.Terms fixedPointTerms(Backend backend, List<Tensor> phiTensors, long runSeed) {
        if (!(estimator instanceof FixedPoint fixedPoint)) {
            throw new IllegalStateException("meta-training does not use the fixed-point objective");
        }
        return fixedPoint.terms(learnedLoss.withParameters(phiTensors), controlFrom(initialPolicy(backend, runSeed, 0)));
    }

    /** The run's fixed initial policies of the given tasks (task 0's is the meta-test's). */
    List<Tensor> initialPolicy(Backend backend, long runSeed, int... taskIndices) {
        return policy.initialize(backend, seeds(taskIndices, t -> Seeds.derive(runSeed, POLICY_INIT, t)));
    }

    private List<Tensor> metaTrainPolicy(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return metaTraining.resample()
                ? policy.initialize(backend, seeds(taskIndices, t -> Seeds.derive(runSeed, POLICY_INIT, iteration, t)))
                : initialPolicy(backend, runSeed, taskIndices);
    }

    private static long[] seeds(int[] taskIndices, IntToLongFunction seed) {
        return Arrays.stream(taskIndices).mapToLong(seed::applyAsLong).toArray();
    }

    Rollout rollout(List<Tensor> theta) {
        return Rollout.of(car, policy, theta, start, horizon);
    }

    /** M_phi averaged over the episode's steps, summed over episodes. */
    private Tensor learnedLossOf(TrainingObjective loss, Rollout r) {
        Tensor cost = taskLoss.finalDistance(r).broadcastTo(r.actions().shape());
        return loss.value(lossSeesPolicyOutput ? r.policyOutputs() : r.actions(),
                new TaskBatch(r.statesBeforeActions(), cost));
    }

    /**
     * The meta-test: from the initial policy, {@code testSteps} SGD steps on the learned loss
     * and on the task loss without the intermediate goal; element s of each list is the
     * policy after s steps, with its rollout's positions and its gain.
     */
    public MetaTestRollouts metaTestRollouts(Backend backend, double[] phi, long runSeed) {
        return new MetaTestRollouts(trainedPolicies(backend, phi, runSeed, true),
                trainedPolicies(backend, phi, runSeed, false));
    }

    /** The policies after 0..testSteps steps on the learned loss, or on the task loss without the intermediate goal. */
    private List<TestedPolicy> trainedPolicies(Backend backend, double[] phi, long runSeed, boolean learned) {
        if (learned) {
            TrainingObjective loss = learnedLoss.withParameters(learnedLoss.layout().variables(backend, phi));
            return trainedPolicies(backend, runSeed, r -> learnedLossOf(loss, r));
        }
        GoalDistance testLoss = taskLoss.withoutIntermediateGoal();
        return trainedPolicies(backend, runSeed, r -> testLoss.perTask(r).sum());
    }

    /** The meta-test policies after 0, 1, .. steps with the learned loss and with the baseline. */
    public record MetaTestRollouts(List<TestedPolicy> learned, List<TestedPolicy> baseline) {
    }

    /**
     * A policy at meta-test: its rollout's positions over time and its gain {@code (k_p, k_v)}.
     * The policy is linear without biases, so its output is exactly {@code k_p p + k_v v}
     * before the action bound.
     */
    public record TestedPolicy(double[] positions, double[] gain) {
        public double endPosition() {
            return positions[positions.length - 1];
        }

        public double lowestPosition() {
            return Arrays.stream(positions).min().orElseThrow();
        }
    }

    private List<TestedPolicy> trainedPolicies(Backend backend, long runSeed, Function<Rollout, Tensor> objective) {
        List<TestedPolicy> policies = new ArrayList<>();
        List<Tensor> theta = initialPolicy(backend, runSeed, 0);
        Tensor unitStates = Tensor.constant(backend, new double[] {1, 0, 0, 1}, 1, 2, 2);
        for (int s = 0; s <= testSteps; s++) {
            if (s > 0) {
                theta = InnerLoop.update(theta, objective.apply(rollout(theta)), testLearningRate, false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                policies.add(new TestedPolicy(rollout(theta).component(POSITION)[0], policy.predict(theta, unitStates).toArray()));
            }
        }
        return policies;
    }

    /** One task, the run's initial policy. */
    @Override
    public List<MetaTestUnit> metaTestUnits() {
        return MetaTestUnit.bothMethods("test", 1);
    }

    /** Per step, the policy's gain and its rollout's positions, one rollout after another. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        List<TestedPolicy> policies = trainedPolicies(backend, phi, runSeed, unit.learnedLoss());
        double[] positions = new double[policies.size() * (horizon + 1)];
        double[] gains = new double[policies.size() * 2];
        for (int s = 0; s < policies.size(); s++) {
            System.arraycopy(policies.get(s).positions(), 0, positions, s * (horizon + 1), horizon + 1);
            System.arraycopy(policies.get(s).gain(), 0, gains, 2 * s, 2);
        }
        return new MetaTestMeasurement(unit, Map.of("positions", positions, "gains", gains));
    }

    /** The meta-test's positions and gains, and the car's position over time, from one set of rollouts. */
    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        MetaTestRollouts r = new MetaTestRollouts(policies(measured, true), policies(measured, false));
        return new MetaTestReport(results(r), figures(r));
    }

    private List<TestedPolicy> policies(MetaTestMeasurements measured, boolean learned) {
        double[] positions = measured.series("test", 0, learned, "positions");
        double[] gains = measured.series("test", 0, learned, "gains");
        List<TestedPolicy> policies = new ArrayList<>();
        for (int s = 0; s <= testSteps; s++) {
            policies.add(new TestedPolicy(Arrays.copyOfRange(positions, s * (horizon + 1), (s + 1) * (horizon + 1)),
                    Arrays.copyOfRange(gains, 2 * s, 2 * s + 2)));
        }
        return policies;
    }

    private static List<MetaTestResult> results(MetaTestRollouts r) {
        return List.of(
                result("test", "end_position", MetricDirection.HIGHER_IS_BETTER, r, TestedPolicy::endPosition),
                result("test-lowest", "lowest_position", MetricDirection.NEITHER, r, TestedPolicy::lowestPosition),
                result("test-gain-position", "policy_gain_position", MetricDirection.NEITHER, r, p -> p.gain()[0]),
                result("test-gain-velocity", "policy_gain_velocity", MetricDirection.NEITHER, r, p -> p.gain()[1]));
    }

    private static MetaTestResult result(String taskSet, String metric, MetricDirection direction, MetaTestRollouts r,
                                         ToDoubleFunction<TestedPolicy> value) {
        return new MetaTestResult(taskSet, metric, direction, new double[][] {perStep(r.learned(), value)},
                new double[][] {perStep(r.baseline(), value)}, null);
    }

    private static double[] perStep(List<TestedPolicy> policies, ToDoubleFunction<TestedPolicy> value) {
        return policies.stream().mapToDouble(value).toArray();
    }

    /** Position over time of the meta-test rollouts (the paper's Fig. 5 right). */
    private List<Figure> figures(MetaTestRollouts r) {
        double[] time = new double[horizon + 1];
        for (int t = 0; t <= horizon; t++) {
            time[t] = t;
        }
        List<Figure.Series> series = new ArrayList<>();
        series.add(new Figure.Series("initial policy", time, r.learned().get(0).positions()));
        for (int s = 1; s <= testSteps; s++) {
            series.add(new Figure.Series("learned loss after " + s + " step" + (s > 1 ? "s" : ""), time,
                    r.learned().get(s).positions()));
        }
        series.add(new Figure.Series("task loss after " + testSteps + " steps", time,
                r.baseline().get(testSteps).positions()));
        series.add(new Figure.Series("goal", time, filled(horizon + 1, taskLoss.goal()[0])));
        if (taskLoss.intermediateSteps() > 0) {
            series.add(new Figure.Series("intermediate goal", time, filled(horizon + 1, taskLoss.intermediateGoal()[0])));
        }
        return List.of(new Figure("position-over-time", NAME + ": position over time at meta-test", "time step",
                "position", series));
    }

    private static double[] filled(int n, double value) {
        double[] v = new double[n];
        Arrays.fill(v, value);
        return v;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, MountainCarExperiment::fromSettings);
        }
    }
}
