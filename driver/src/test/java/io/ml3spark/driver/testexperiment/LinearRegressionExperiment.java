package io.ml3spark.driver.testexperiment;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.MetaTest;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * An experiment that exists only in test sources, to show what adding one takes: this class,
 * a config ({@code test-linear-regression.conf}) and one service line. Tasks are lines
 * {@code y = a x} with a slope per task; the optimizee is one weight; the learned loss sees
 * (yhat, y). Its parts: what is meta-trained ({@link MetaTraining}), its tasks ({@link Lines}),
 * its meta-test ({@link LineMetaTest}) and its report ({@link LineReport}). The meta-test reports
 * mse and a metric no shipped experiment has, {@value #SCORE} ({@code 1 / (1 + mse)}, higher is
 * better), to show what adding a metric takes: its series in the meta-test, its direction in the
 * report.
 */
public final class LinearRegressionExperiment extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    static final String NAME = "test-linear-regression";
    static final String SCORE = "fit_score";
    private static final long DATA = 1;
    private static final long INIT = 2;
    private static final long PHI = 3;
    private static final long TEST = 4;
    private static final int TEST_TASKS = 4;

    /** Its experiment type: the service line in META-INF/services names this class. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, LinearRegressionExperiment::fromSettings);
        }
    }

    private LinearRegressionExperiment(MetaObjective objective, Lines lines, LineMetaTest metaTest) {
        super(NAME, new MetaTraining(objective.learnedLoss(), new PhiInit(PHI, Init.XAVIER_UNIFORM, 0.0),
                objective.estimator()), lines, metaTest, new LineReport());
    }

    private static LinearRegressionExperiment fromSettings(Settings s) {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 8, 1}, Activation.TANH, Activation.SOFTPLUS, true),
                LossInput.PREDICTION_TARGET);
        MlpOptimizee line = new MlpOptimizee(new Mlp(new int[] {1, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                Init.XAVIER_UNIFORM, 0.0);
        MetaObjective objective = new MetaObjective(loss, line,
                new InnerLoop(1, s.section("inner").getPositiveDouble("learning-rate")), TaskLoss.MSE);
        Lines lines = new Lines(objective, s.getInt("tasks", 1), s.getInt("points", 2));
        return new LinearRegressionExperiment(objective, lines, new LineMetaTest(objective, lines,
                s.section("meta-test").getInt("steps", 1), s.section("meta-test").getPositiveDouble("learning-rate")));
    }

    /** Meta-train tasks: fresh lines every iteration. */
    private record Lines(MetaObjective objective, int tasksPerIteration, int points) implements TaskSampler {
        TaskBatch sample(Backend backend, long[] seeds) {
            double[] x = new double[seeds.length * points];
            double[] y = new double[x.length];
            for (int t = 0; t < seeds.length; t++) {
                SplittableRandom rng = new SplittableRandom(seeds[t]);
                double slope = rng.nextDouble(-2, 2);
                for (int i = 0; i < points; i++) {
                    x[t * points + i] = rng.nextDouble(-1, 1);
                    y[t * points + i] = slope * x[t * points + i];
                }
            }
            Shape shape = Shape.of(seeds.length, points, 1);
            return new TaskBatch(Tensor.constant(backend.fromArray(shape, x)), Tensor.constant(backend.fromArray(shape, y)));
        }

        @Override
        public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
            long[] data = new long[taskIndices.length];
            long[] init = new long[taskIndices.length];
            for (int i = 0; i < taskIndices.length; i++) {
                data[i] = Seeds.derive(runSeed, DATA, iteration, taskIndices[i]);
                init[i] = Seeds.derive(runSeed, INIT, iteration, taskIndices[i]);
            }
            return TaskGroup.of(objective.problem(sample(backend, data), objective.optimizee().initialize(backend, init)));
        }
    }

    /** Meta-test: SGD on new lines, the learned loss against the MSE; the mse and the score per step. */
    private record LineMetaTest(MetaObjective objective, Lines lines, int steps, double learningRate) implements MetaTester {
        @Override
        public List<MetaTestUnit> units() {
            return MetaTestUnit.bothMethods("test", TEST_TASKS);
        }

        @Override
        public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
            long[] data = {Seeds.derive(runSeed, TEST, unit.task())};
            TrainingObjective loss = unit.learnedLoss() ? objective.learnedLoss().withConstants(backend, phi)
                    : TaskLoss.MSE.asObjective();
            double[][] mse = MetaTest.curves(loss, objective.optimizee(), TaskLoss.MSE,
                    objective.optimizee().initialize(backend, data), lines.sample(backend, data), steps, learningRate);
            double[] score = Arrays.stream(mse[0]).map(m -> 1 / (1 + m)).toArray();
            return new MetaTestMeasurement(unit, Map.of("mse", mse[0], SCORE, score));
        }
    }

    /** Each metric's direction: lower mse is better, a higher score is. */
    private record LineReport() implements MetaTestReporter {
        @Override
        public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
            return new MetaTestReport(List.of(
                    measured.result("test", TEST_TASKS, "test", "mse", MetricDirection.LOWER_IS_BETTER, null),
                    measured.result("test", TEST_TASKS, "test-score", SCORE, MetricDirection.HIGHER_IS_BETTER, null)),
                    List.of());
        }
    }
}
