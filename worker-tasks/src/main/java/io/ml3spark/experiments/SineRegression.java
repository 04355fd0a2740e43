package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.MetaTest;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ml3spark.experiments.ConfigReaders.activation;
import static io.ml3spark.experiments.ConfigReaders.layers;
import static io.ml3spark.experiments.ConfigReaders.range;

/**
 * Sine regression (paper Fig. 2 top): a learned loss on (yhat, y) meta-trained on sine
 * tasks, meta-tested on out-of-distribution amplitudes, phases and inputs against SGD on
 * the MSE. Meta-train optimizees use Xavier-uniform weights and zero biases, meta-test
 * ones PyTorch's default init, as in the reference code.
 */
public final class SineRegression implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "sine-regression";

    private static final long TRAIN_DATA = 1;
    private static final long TRAIN_INIT = 2;
    private static final long TEST_DATA = 3;
    private static final long TEST_INIT = 4;
    private static final long PHI_INIT = 5;

    private final MetaObjective objective;
    private final SineTaskFamily trainTasks;
    private final int trainTaskCount;
    private final boolean resampleTrainTasks;
    private final SineTaskFamily testTasks;
    private final int testTaskCount;
    private final int testSteps;
    private final double testLearningRate;
    private final MlpOptimizee testOptimizee;

    public SineRegression(MetaObjective objective, SineTaskFamily trainTasks, int trainTaskCount,
                          boolean resampleTrainTasks, SineTaskFamily testTasks, int testTaskCount, int testSteps,
                          double testLearningRate) {
        this.objective = objective;
        this.trainTasks = trainTasks;
        this.trainTaskCount = trainTaskCount;
        this.resampleTrainTasks = resampleTrainTasks;
        this.testTasks = testTasks;
        this.testTaskCount = testTaskCount;
        this.testSteps = testSteps;
        this.testLearningRate = testLearningRate;
        MlpOptimizee train = (MlpOptimizee) objective.optimizee();
        this.testOptimizee = new MlpOptimizee(train.network(), Init.TORCH_DEFAULT, 0.0);
    }

    /** Builds the experiment from its config section (see conf/sine-regression.conf). */
    public static SineRegression fromSettings(Settings s) {
        Settings opt = s.section("optimizee");
        Mlp optimizee = new Mlp(layers(opt, "layers"), activation(opt, "activation"), Activation.IDENTITY, true);
        if (optimizee.inputSize() != 1 || optimizee.outputSize() != 1) {
            throw opt.invalid("layers", "a network from 1 input to 1 output for sine regression");
        }
        Settings ll = s.section("learned-loss");
        LearnedLoss loss = ConfigReaders.learnedLoss(ll, LossInput.PREDICTION_TARGET);
        Settings inner = s.section("inner");
        InnerLoop innerLoop = new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate"));
        MetaObjective objective = new MetaObjective(loss,
                new MlpOptimizee(optimizee, Init.XAVIER_UNIFORM, 0.0), innerLoop, TaskLoss.MSE);
        Settings train = s.section("train-tasks");
        Settings test = s.section("test-tasks");
        Settings metaTest = s.section("meta-test");
        return new SineRegression(objective, family(train), train.getInt("count", 1), train.getBoolean("resample"),
                family(test), test.getInt("count", 1), metaTest.getInt("steps", 1),
                metaTest.getPositiveDouble("learning-rate"));
    }

    private static SineTaskFamily family(Settings s) {
        return new SineTaskFamily(range(s, "amplitude"), range(s, "phase"), range(s, "frequency"), range(s, "inputs"),
                s.getInt("points", 1));
    }

    @Override
    public String name() {
        return NAME;
    }

    public MetaObjective objective() {
        return objective;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return objective.learnedLoss();
    }

    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0);
    }

    @Override
    public int tasksPerIteration() {
        return trainTaskCount;
    }

    @Override
    public UnrolledBackprop estimator() {
        return objective.estimator();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        long[] dataSeeds = new long[taskIndices.length];
        long[] initSeeds = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            int t = taskIndices[i];
            dataSeeds[i] = resampleTrainTasks ? Seeds.derive(runSeed, TRAIN_DATA, iteration, t)
                    : Seeds.derive(runSeed, TRAIN_DATA, t);
            initSeeds[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, t);
        }
        TaskBatch batch = trainTasks.sample(backend, dataSeeds);
        return TaskGroup.of(objective.problem(batch, objective.optimizee().initialize(backend, initSeeds)));
    }

    /** The test tasks, and the train tasks too when they are fixed (not resampled per iteration). */
    @Override
    public List<MetaTestUnit> metaTestUnits() {
        List<MetaTestUnit> units = new ArrayList<>(MetaTestUnit.bothMethods("test", testTaskCount));
        units.addAll(MetaTestUnit.bothMethods("train", trainTaskCountAtMetaTest()));
        return units;
    }

    private int trainTaskCountAtMetaTest() {
        return resampleTrainTasks ? 0 : trainTaskCount;
    }

    /** The unit's task's MSE after each SGD step, and its targets' variance (for NMSE). */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        boolean test = unit.taskSet().equals("test");
        TaskBatch batch = (test ? testTasks : trainTasks).sample(backend,
                new long[] {Seeds.derive(runSeed, test ? TEST_DATA : TRAIN_DATA, unit.task())});
        TrainingObjective objective = unit.learnedLoss() ? learnedLoss().withConstants(backend, phi)
                : TaskLoss.MSE.asObjective();
        double[][] mse = MetaTest.curves(objective, testOptimizee, TaskLoss.MSE,
                testOptimizee.initialize(backend, new long[] {Seeds.derive(runSeed, TEST_INIT, unit.task())}), batch,
                testSteps, testLearningRate);
        return new MetaTestMeasurement(unit, Map.of("mse", mse[0], "target-variance", targetVariances(batch)));
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<MetaTestResult> results = new ArrayList<>();
        results.add(result(measured, "test", testTaskCount));
        if (trainTaskCountAtMetaTest() > 0) {
            results.add(result(measured, "train", trainTaskCountAtMetaTest()));
        }
        return new MetaTestReport(results, List.of());
    }

    private static MetaTestResult result(MetaTestMeasurements measured, String taskSet, int tasks) {
        double[] variance = new double[tasks];
        for (int t = 0; t < tasks; t++) {
            variance[t] = measured.series(taskSet, t, false, "target-variance")[0];
        }
        return measured.result(taskSet, tasks, taskSet, "mse", MetricDirection.LOWER_IS_BETTER, variance);
    }

    private static double[] targetVariances(TaskBatch batch) {
        double[] y = batch.targets().toArray();
        int n = batch.samples();
        double[] var = new double[batch.tasks()];
        for (int t = 0; t < var.length; t++) {
            double mean = 0;
            for (int i = 0; i < n; i++) {
                mean += y[t * n + i] / n;
            }
            for (int i = 0; i < n; i++) {
                double d = y[t * n + i] - mean;
                var[t] += d * d / n;
            }
        }
        return var;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, SineRegression::fromSettings);
        }
    }
}
