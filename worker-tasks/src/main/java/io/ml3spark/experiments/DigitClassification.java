package io.ml3spark.experiments;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;
import io.ml3spark.data.LabelledImages;
import io.ml3spark.experiments.DigitTasks.DigitTask;
import io.ml3spark.experiments.DigitTasks.Examples;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.SupervisedProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.LeNet;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Digit classification (paper Fig. 2 bottom, and its 10-class extension). A learned loss
 * on (log-probabilities, one-hot target) is meta-trained on one classification task of
 * MNIST digits: each ML3 task of an outer iteration is a fresh optimizee (LeNet or an MLP),
 * one SGD step on the learned loss with one example, and the NLL of the updated optimizee
 * on a fresh example of the same task. Meta-test trains fresh optimizees on unseen digit
 * pairs (binary) or on the held-out half (10-class) with the learned loss and with the NLL,
 * and reports held-out accuracy and NLL per step.
 *
 * <p>The task loss is taken on a fresh example, not the one the step was taken on: the
 * meta-test metric is held-out performance, and the loss after a step on the stepped
 * example alone rewards memorising that example. It is taken without dropout, as the
 * updated model is evaluated at meta-test; the inner step trains with dropout.
 *
 * <p>Only the meta-train task's train half travels with this object to the executors; the
 * other tasks are used by {@link #metaTest} on the driver and are not serialised.
 */
public final class DigitClassification implements Experiment {
    private static final long serialVersionUID = 1L;
    public static final String BINARY = "mnist-binary";
    public static final String TEN_CLASS = "mnist-10class";

    private static final long TRAIN_DATA = 11;
    private static final long TRAIN_INIT = 12;
    private static final long TRAIN_DROPOUT = 13;
    private static final long TEST_DATA = 14;
    private static final long TEST_INIT = 15;
    private static final long TEST_DROPOUT = 16;
    private static final long PHI_INIT = 17;

    /** Negative log-likelihood of the one-hot targets, averaged over each task's samples. */
    static final TaskLoss NLL = (logProbabilities, batch) ->
            logProbabilities.mul(batch.targets()).sum(false, 1, 2).neg().div(batch.samples());

    private final String name;
    private final LearnedLoss learnedLoss;
    private final DigitClassifier.Network network;
    private final int tasksPerIteration;
    private final Sgd inner;
    private final int taskLossExamples;
    private final Examples metaTrainExamples;
    private final MetaTestPlan plan;

    /** SGD settings: learning rate and examples per step. */
    public record Sgd(double learningRate, int batchSize) implements java.io.Serializable {
    }

    /**
     * Meta-test: {@code steps} SGD steps from {@code runs} fresh initialisations per task
     * (curves averaged over the runs), evaluated after every step on the first
     * {@code evalExamples} examples of each task's held-out half.
     */
    public record MetaTestPlan(DigitTask metaTrainTask, List<DigitTask> testTasks, int steps, Sgd sgd, int runs,
                               int evalExamples) implements java.io.Serializable {
    }

    public DigitClassification(String name, LearnedLoss learnedLoss, DigitClassifier.Network network,
                               int tasksPerIteration, Sgd inner, int taskLossExamples, MetaTestPlan plan) {
        this.name = name;
        this.learnedLoss = learnedLoss;
        this.network = network;
        this.tasksPerIteration = tasksPerIteration;
        this.inner = inner;
        this.taskLossExamples = taskLossExamples;
        this.metaTrainExamples = plan.metaTrainTask().train();
        this.plan = plan;
    }

    /** MNIST's classes, the digits 0-9. */
    private static final int DIGIT_CLASSES = 10;

    /** Builds the experiment {@code name} from its config section (see conf/mnist-binary.conf). */
    public static DigitClassification fromSettings(String name, Settings s, DataOpener opener) {
        boolean binary = name.equals(BINARY);
        Settings data = s.section("data");
        LabelledImages images;
        try {
            images = LabelledImages.read(opener, data.getString("images"), data.getString("labels"), DIGIT_CLASSES);
        } catch (IOException e) {
            throw data.invalid("images", "readable MNIST IDX files (images and labels): " + e.getMessage());
        }
        DigitTasks tasks = new DigitTasks(images, data.getLong("split-seed"));
        DigitTask metaTrain;
        List<DigitTask> test = new ArrayList<>();
        if (binary) {
            int[] d = DigitTasks.permutedDigits(s.getLong("permutation-seed"));
            metaTrain = tasks.task(d[0], d[1]);
            for (int i = 2; i < 6; i++) {
                test.add(tasks.task(d[i], d[i + 4]));
            }
        } else {
            metaTrain = tasks.task(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
        int classes = metaTrain.digits().length;
        DigitClassifier.Network network = network(s.section("optimizee"), images, classes);
        LearnedLoss loss = learnedLoss(s.section("learned-loss"), classes);
        Settings in = s.section("inner");
        Sgd inner = new Sgd(in.getPositiveDouble("learning-rate"), in.getInt("batch-size", 1));
        Settings mt = s.section("meta-test");
        MetaTestPlan plan = new MetaTestPlan(metaTrain, test, mt.getInt("steps", 1),
                new Sgd(mt.getPositiveDouble("learning-rate"), mt.getInt("batch-size", 1)), mt.getInt("runs", 1),
                mt.getInt("eval-examples", 1));
        return new DigitClassification(name, loss, network, s.getInt("tasks-per-iteration", 1), inner,
                s.section("task-loss").getInt("batch-size", 1), plan);
    }

    private static DigitClassifier.Network network(Settings s, LabelledImages images, int classes) {
        String kind = s.getChoice("network", "lenet", "mlp");
        switch (kind) {
            case "lenet" -> {
                double p = s.getDouble("dropout");
                if (!(p >= 0 && p < 1)) {
                    throw s.invalid("dropout", "a probability in [0, 1), got " + p);
                }
                try {
                    return new DigitClassifier.LeNetNetwork(new LeNet(images.rows(), images.cols(), classes, p));
                } catch (IllegalArgumentException e) {
                    throw s.invalid("network", e.getMessage());
                }
            }
            case "mlp" -> {
                List<Integer> l = s.getIntList("layers");
                ConfigReaders.layers(s, "layers", l);
                int pixels = images.pixelsPerImage();
                if (l.size() < 2 || l.get(0) != pixels || l.get(l.size() - 1) != classes || l.stream().anyMatch(v -> v < 1)) {
                    throw s.invalid("layers", "positive layer sizes from " + pixels + " pixels to " + classes
                            + " classes, got " + l);
                }
                return new DigitClassifier.MlpNetwork(new Mlp(l.stream().mapToInt(Integer::intValue).toArray(),
                        ConfigReaders.activation(s, "activation"), Activation.IDENTITY, true));
            }
            default -> throw new IllegalStateException(kind);
        }
    }

    /** The learned loss on (log p, y) of all classes at once, or of each class as a sample of its own. */
    private static LearnedLoss learnedLoss(Settings s, int classes) {
        LossInput input = switch (s.getChoice("input", "prediction-target", "per-class")) {
            case "prediction-target" -> LossInput.predictionTarget("log_probability", "target", classes);
            default -> LossInput.PER_CLASS_PREDICTION_TARGET;
        };
        return ConfigReaders.learnedLoss(s, input);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public LearnedLoss learnedLoss() {
        return learnedLoss;
    }

    @Override
    public PhiInit phiInit() {
        return new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0);
    }

    @Override
    public int tasksPerIteration() {
        return tasksPerIteration;
    }

    @Override
    public UnrolledBackprop estimator() {
        return new UnrolledBackprop(new InnerLoop(1, inner.learningRate()), false);
    }

    /**
     * Per task: a fresh optimizee, one SGD step on the learned loss with {@code inner.batchSize}
     * examples (with dropout), then the NLL of the updated optimizee on fresh examples, all
     * drawn from the meta-train task's train half.
     */
    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        int b = taskIndices.length;
        long[] stepData = new long[b];
        long[] lossData = new long[b];
        long[] init = new long[b];
        long[] dropout = new long[b];
        for (int i = 0; i < b; i++) {
            int t = taskIndices[i];
            stepData[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, t, 0);
            lossData[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, t, 1);
            init[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, t);
            dropout[i] = Seeds.derive(runSeed, TRAIN_DROPOUT, iteration, t);
        }
        DigitClassifier evaluating = DigitClassifier.evaluating(network);
        return TaskGroup.of(new SupervisedProblem(evaluating.training(dropout),
                metaTrainExamples.sample(backend, stepData, inner.batchSize()), evaluating,
                metaTrainExamples.sample(backend, lossData, taskLossExamples), NLL, evaluating.initialize(backend, init)));
    }

    /**
     * Accuracy and NLL on held-out examples per SGD step, learned loss vs NLL: first on the
     * test tasks (the unseen pairs; for 10-class, the held-out half of the ten digits), then,
     * for the binary experiment, on the meta-train pair's held-out half.
     */
    /**
     * The test tasks (the unseen pairs; for 10-class, the held-out half of the ten digits), then,
     * for the binary experiment, the meta-train pair's held-out half.
     */
    @Override
    public List<MetaTestUnit> metaTestUnits() {
        List<MetaTestUnit> units = new ArrayList<>(MetaTestUnit.bothMethods("test", testTasks().size()));
        if (!plan.testTasks().isEmpty()) {
            units.addAll(MetaTestUnit.bothMethods("train", 1));
        }
        return units;
    }

    private List<DigitTask> testTasks() {
        return plan.testTasks().isEmpty() ? List.of(plan.metaTrainTask()) : plan.testTasks();
    }

    /** Held-out accuracy and NLL per SGD step, learned loss or NLL. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        DigitTask task = unit.taskSet().equals("test") ? testTasks().get(unit.task()) : plan.metaTrainTask();
        TrainingObjective objective = unit.learnedLoss()
                ? learnedLoss.withParameters(learnedLoss.layout().variables(backend, phi)) : NLL.asObjective();
        double[][] curves = curves(objective, task, backend, Seeds.derive(runSeed, unit.taskSet().hashCode(), unit.task()));
        return new MetaTestMeasurement(unit, Map.of("accuracy", curves[0], "nll", curves[1]));
    }

    @Override
    public MetaTestReport metaTestReport(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        List<MetaTestResult> results = new ArrayList<>(results(measured, "test", testTasks().size()));
        if (!plan.testTasks().isEmpty()) {
            results.addAll(results(measured, "train", 1));
        }
        return new MetaTestReport(results, List.of());
    }

    private static List<MetaTestResult> results(MetaTestMeasurements measured, String set, int tasks) {
        return List.of(measured.result(set, tasks, set + "-accuracy", "accuracy", MetricDirection.HIGHER_IS_BETTER, null),
                measured.result(set, tasks, set + "-nll", "nll", MetricDirection.LOWER_IS_BETTER, null));
    }

    /**
     * Held-out {accuracy, NLL} after each of 0..steps SGD steps on {@code objective}, averaged
     * over the plan's runs (fresh initialisations, example draws and dropout masks, the same
     * for every objective so that the learned loss and the NLL see the same data).
     */
    private double[][] curves(TrainingObjective objective, DigitTask task, Backend backend, long taskSeed) {
        int runs = plan.runs();
        DigitClassifier classifier = DigitClassifier.evaluating(network);
        TaskBatch eval = task.test().first(backend, plan.evalExamples(), runs);
        List<Tensor> theta = classifier.initialize(backend, seeds(runs, TEST_INIT, taskSeed, 0));
        double[] accuracy = new double[plan.steps() + 1];
        double[] nll = new double[plan.steps() + 1];
        for (int s = 0; s <= plan.steps(); s++) {
            if (s > 0) {
                TaskBatch batch = task.train().sample(backend, seeds(runs, TEST_DATA, taskSeed, s), plan.sgd().batchSize());
                theta = InnerLoop.step(objective, classifier.training(seeds(runs, TEST_DROPOUT, taskSeed, s)), theta,
                        batch, plan.sgd().learningRate(), false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Tensor logp = classifier.predict(theta, eval.inputs());
                nll[s] = mean(NLL.perTask(logp, eval).toArray());
                accuracy[s] = accuracy(logp.toArray(), eval.targets().toArray(), network.classes());
            }
        }
        return new double[][] {accuracy, nll};
    }

    private static long[] seeds(int runs, long purpose, long taskSeed, int step) {
        long[] s = new long[runs];
        for (int r = 0; r < runs; r++) {
            s[r] = Seeds.derive(taskSeed, purpose, r, step);
        }
        return s;
    }

    /** Fraction of rows whose largest log-probability is at the target's class. */
    static double accuracy(double[] logp, double[] oneHot, int classes) {
        int rows = logp.length / classes;
        int correct = 0;
        for (int r = 0; r < rows; r++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logp[r * classes + c] > logp[r * classes + best]) {
                    best = c;
                }
            }
            correct += oneHot[r * classes + best] == 1.0 ? 1 : 0;
        }
        return (double) correct / rows;
    }

    private static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    @Override
    public String toString() {
        return name.toLowerCase(Locale.ROOT) + "(" + network + ", " + learnedLoss.network() + ")";
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type implements ExperimentType {
        @Override
        public List<String> names() {
            return List.of(BINARY, TEN_CLASS);
        }

        @Override
        public Experiment fromSettings(String name, Settings section, DataOpener data) {
            return DigitClassification.fromSettings(name, section, data);
        }
    }
}
