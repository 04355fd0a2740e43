package io.ml3spark.experiments;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.experiments.SineTaskFamily.Range;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.PerStepReplay;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static io.ml3spark.experiments.ConfigReaders.range;

/**
 * Loss shaping with extra information (paper Fig. 5 left): the optimizee {@code sin(theta x)}
 * is trained by SGD on a learned loss of {@code (x, yhat, y)}; at meta-train time the task
 * loss is either the distance to the true frequency {@code (theta - theta*)^2} (extra
 * information, the shaped loss) or the MSE. By default phi takes an Adam step after every
 * inner step, theta carrying over between them as a constant (as in the reference code).
 */
public final class SineFrequency implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "sine-frequency";

    private static final long TRAIN_DATA = 1;
    private static final long TRAIN_INIT = 2;
    private static final long PHI_INIT = 5;

    /** How the inner steps of a task turn into meta-updates. */
    public enum MetaUpdate {
        /** One meta-update after every inner step, through that step only (the reference). */
        EVERY_STEP,
        /** One meta-update per iteration on the task loss after the last step, through all steps. */
        UNROLLED
    }

    /** The meta-test: SGD from {@code initialTheta} on tasks of the given frequencies on an input grid. */
    public record FrequencyTest(double[] frequencies, double[] inputs, double initialTheta, int steps,
                                double learningRate, double[] landscapeThetas) implements Serializable {
    }

    private final LearnedLoss learnedLoss;
    private final double biasInit;
    private final SineFrequencyOptimizee optimizee;
    private final InnerLoop innerLoop;
    private final FrequencyTaskLoss taskLoss;
    private final MetaUpdate metaUpdate;
    private final SineTaskFamily trainTasks;
    private final int trainTaskCount;
    private final FrequencyTest test;

    public SineFrequency(LearnedLoss learnedLoss, double biasInit, SineFrequencyOptimizee optimizee,
                         InnerLoop innerLoop, FrequencyTaskLoss taskLoss, MetaUpdate metaUpdate,
                         SineTaskFamily trainTasks, int trainTaskCount, FrequencyTest test) {
        if (!learnedLoss.input().equals(LossInput.INPUT_PREDICTION_TARGET)) {
            throw new IllegalArgumentException("the shaped sine loss takes (x, yhat, y), got " + learnedLoss.network()
                    + " on " + learnedLoss.input());
        }
        this.learnedLoss = learnedLoss;
        this.biasInit = biasInit;
        this.optimizee = optimizee;
        this.innerLoop = innerLoop;
        this.taskLoss = taskLoss;
        this.metaUpdate = metaUpdate;
        this.trainTasks = trainTasks;
        this.trainTaskCount = trainTaskCount;
        this.test = test;
    }

    /** Builds the experiment from its config section (see conf/sine-frequency-shaped.conf). */
    public static SineFrequency fromSettings(Settings s) {
        Settings ll = s.section("learned-loss");
        LearnedLoss loss = ConfigReaders.learnedLoss(ll, LossInput.INPUT_PREDICTION_TARGET);
        Settings inner = s.section("inner");
        Settings train = s.section("train-tasks");
        Range inputs = range(train, "inputs");
        SineTaskFamily family = new SineTaskFamily(Range.fixed(1), Range.fixed(0), range(train, "frequency"),
                inputs, train.getInt("points", 1));
        Settings t = s.section("meta-test");
        List<Double> freqs = t.getDoubleList("frequencies");
        if (freqs.isEmpty()) {
            throw t.invalid("frequencies", "at least one test frequency");
        }
        FrequencyTest test = new FrequencyTest(freqs.stream().mapToDouble(Double::doubleValue).toArray(),
                grid(t, "inputs", "input-step"), t.getDouble("initial-theta"), t.getInt("steps", 1),
                t.getPositiveDouble("learning-rate"), grid(t, "landscape", "landscape-step"));
        return new SineFrequency(loss, ll.getDouble("bias-init"),
                new SineFrequencyOptimizee(range(s.section("optimizee"), "initial-theta")),
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")),
                s.getEnum("task-loss", FrequencyTaskLoss.class), s.getEnum("meta-update", MetaUpdate.class),
                family, train.getInt("count", 1), test);
    }

    /** The points {@code lo, lo + step, ...} up to {@code hi} (inclusive, to rounding) of the range at {@code path}. */
    private static double[] grid(Settings s, String path, String stepPath) {
        Range r = range(s, path);
        double step = s.getPositiveDouble(stepPath);
        int n = (int) Math.floor((r.hi() - r.lo()) / step + 1e-9) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.lo() + i * step;
        }
        return g;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return learnedLoss;
    }

    public FrequencyTest test() {
        return test;
    }

    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, biasInit);
    }

    @Override
    public int tasksPerIteration() {
        return trainTaskCount;
    }

    /** Per-step meta-updates by replay, or backpropagation through all steps. */
    @Override
    public MetaGradientEstimator estimator() {
        return metaUpdate == MetaUpdate.EVERY_STEP ? new PerStepReplay(innerLoop) : new UnrolledBackprop(innerLoop, false);
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        long[] dataSeeds = new long[taskIndices.length];
        long[] initSeeds = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            dataSeeds[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, taskIndices[i]);
            initSeeds[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, taskIndices[i]);
        }
        TaskBatch batch = trainTasks.sample(backend, dataSeeds);
        return TaskGroup.of(new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return optimizee.initialize(backend, initSeeds);
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> frequency) {
                return loss.value(optimizee.predict(frequency, batch.inputs()), batch);
            }

            @Override
            public Tensor taskLoss(List<Tensor> frequency) {
                return taskLoss.perTask(frequency.get(0), optimizee.predict(frequency, batch.inputs()), batch);
            }
        });
    }

    /** The test tasks {@code y = sin(w x)} on the input grid, one per test frequency, extra = w. */
    public TaskBatch testTasks(Backend backend) {
        return testTasks(backend, allTestTasks());
    }

    /** The listed test tasks (indices into the test frequencies). */
    public TaskBatch testTasks(Backend backend, int[] tasks) {
        int b = tasks.length;
        int n = test.inputs().length;
        double[] x = new double[b * n];
        double[] y = new double[b * n];
        double[] w = new double[b];
        for (int t = 0; t < b; t++) {
            w[t] = test.frequencies()[tasks[t]];
            for (int i = 0; i < n; i++) {
                x[t * n + i] = test.inputs()[i];
                y[t * n + i] = Math.sin(w[t] * test.inputs()[i]);
            }
        }
        return new TaskBatch(Tensor.constant(backend, x, b, n, 1), Tensor.constant(backend, y, b, n, 1),
                Tensor.constant(backend, w, b, 1, 1));
    }

    private int[] allTestTasks() {
        return IntStream.range(0, test.frequencies().length).toArray();
    }

    /** {@code theta[t][s]}: task t's frequency after s SGD steps on {@code objective}, s = 0..steps. */
    public double[][] thetaCurves(Backend backend, TrainingObjective objective) {
        return thetaCurves(backend, objective, allTestTasks());
    }

    /** The same for the listed test tasks. */
    public double[][] thetaCurves(Backend backend, TrainingObjective objective, int[] tasks) {
        TaskBatch batch = testTasks(backend, tasks);
        double[] init = new double[batch.tasks()];
        Arrays.fill(init, test.initialTheta());
        List<Tensor> theta = List.of(Tensor.variable(backend, init, batch.tasks(), 1, 1));
        double[][] curves = new double[batch.tasks()][test.steps() + 1];
        for (int s = 0; s <= test.steps(); s++) {
            if (s > 0) {
                theta = InnerLoop.step(objective, optimizee, theta, batch, test.learningRate(), false);
            }
            double[] values = theta.get(0).toArray();
            for (int t = 0; t < values.length; t++) {
                curves[t][s] = values[t];
            }
        }
        return curves;
    }

    /** The learned loss with parameters phi, as an objective to train optimizees on. */
    public TrainingObjective learnedObjective(Backend backend, double[] phi) {
        return learnedLoss.withConstants(backend, phi);
    }

    @Override
    public List<MetaTestUnit> metaTestUnits() {
        return MetaTestUnit.bothMethods("test", test.frequencies().length);
    }

    /** The unit's theta after each SGD step. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        TrainingObjective objective = unit.learnedLoss() ? learnedObjective(backend, phi) : TaskLoss.MSE.asObjective();
        return new MetaTestMeasurement(unit, Map.of("theta", thetaCurves(backend, objective, new int[] {unit.task()})[0]));
    }

    /** The frequency error per step, theta vs SGD steps, and the loss landscape over theta on the first task (Fig. 5 left). */
    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        int tasks = test.frequencies().length;
        double[][] learned = measured.rows("test", tasks, true, "theta");
        double[][] baseline = measured.rows("test", tasks, false, "theta");
        return new MetaTestReport(List.of(new MetaTestResult("test", "frequency_error", MetricDirection.LOWER_IS_BETTER, errors(learned), errors(baseline),
                null)), figures(backend, phi, learned, baseline));
    }

    private double[][] errors(double[][] theta) {
        double[][] e = new double[theta.length][];
        for (int t = 0; t < theta.length; t++) {
            e[t] = new double[theta[t].length];
            for (int s = 0; s < e[t].length; s++) {
                e[t][s] = Math.abs(theta[t][s] - test.frequencies()[t]);
            }
        }
        return e;
    }

    private List<Figure> figures(Backend backend, double[] phi, double[][] learned, double[][] baseline) {
        double[] steps = new double[test.steps() + 1];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = s;
        }
        List<Figure.Series> thetaSeries = new ArrayList<>();
        for (int t = 0; t < learned.length; t++) {
            String w = "w = " + test.frequencies()[t];
            thetaSeries.add(new Figure.Series("learned loss, " + w, steps, learned[t]));
            thetaSeries.add(new Figure.Series("MSE, " + w, steps, baseline[t]));
            double[] target = new double[steps.length];
            Arrays.fill(target, test.frequencies()[t]);
            thetaSeries.add(new Figure.Series("true frequency " + test.frequencies()[t], steps, target));
        }
        double[][] landscape = landscape(backend, phi);
        double[] thetas = test.landscapeThetas();
        return List.of(
                new Figure("theta-steps", "frequency theta vs SGD steps from " + test.initialTheta()
                        + " (lr " + test.learningRate() + ")", "gradient steps", "theta", thetaSeries),
                new Figure("landscape", "loss over theta at frequency " + test.frequencies()[0]
                        + " (each scaled to [0, 1])", "theta", "loss (scaled)", List.of(
                        new Figure.Series("learned loss", thetas, scaled(landscape[0])),
                        new Figure.Series("MSE", thetas, scaled(landscape[1])))));
    }

    /** {@code [0]}: the learned loss, {@code [1]}: the MSE, at each landscape theta on the first test task. */
    public double[][] landscape(Backend backend, double[] phi) {
        double[] thetas = test.landscapeThetas();
        int n = test.inputs().length;
        int b = thetas.length;
        double[] x = new double[b * n];
        double[] y = new double[b * n];
        double w = test.frequencies()[0];
        for (int t = 0; t < b; t++) {
            for (int i = 0; i < n; i++) {
                x[t * n + i] = test.inputs()[i];
                y[t * n + i] = Math.sin(w * test.inputs()[i]);
            }
        }
        TaskBatch batch = new TaskBatch(Tensor.constant(backend, x, b, n, 1), Tensor.constant(backend, y, b, n, 1));
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Tensor prediction = optimizee.predict(List.of(Tensor.constant(backend, thetas.clone(), b, 1, 1)),
                    batch.inputs());
            Tensor learned = learnedLoss.network().forward(learnedLoss.layout().variables(backend, phi),
                    learnedLoss.input().assemble(prediction, batch)).sum(false, 1, 2).div(n);
            return new double[][] {learned.toArray(), TaskLoss.MSE.perTask(prediction, batch).toArray()};
        }
    }

    private static double[] scaled(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0.0;
        }
        return out;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, SineFrequency::fromSettings);
        }
    }
}
