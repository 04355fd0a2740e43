package io.ml3spark.experiments.digits;

import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;
import io.ml3spark.data.LabelledImages;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ConfigReaders;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.ExperimentType;
import io.ml3spark.experiments.digits.DigitTasks.DigitTask;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.LeNet;
import io.ml3spark.nn.Mlp;

import java.io.IOException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

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
 * <p>Tasks: {@link DigitMetaTrainTasks}; meta-test: {@link DigitMetaTest}; report: {@link DigitReport}.
 */
public final class DigitClassification extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String BINARY = "mnist-binary";
    public static final String TEN_CLASS = "mnist-10class";

    private static final long PHI_INIT = 17;

    private final String description;

    /** SGD settings: learning rate and examples per step. */
    public record Sgd(double learningRate, int batchSize) implements Serializable {
    }

    /**
     * Meta-test: {@code steps} SGD steps from {@code runs} fresh initialisations per task
     * (curves averaged over the runs), evaluated after every step on the first
     * {@code evalExamples} examples of each task's held-out half.
     */
    public record MetaTestPlan(DigitTask metaTrainTask, List<DigitTask> testTasks, int steps, Sgd sgd, int runs,
                               int evalExamples) implements Serializable {
    }

    public DigitClassification(String name, LearnedLoss learnedLoss, DigitClassifier.Network network,
                               int tasksPerIteration, Sgd inner, int taskLossExamples, MetaTestPlan plan) {
        this(name, learnedLoss, new DigitMetaTrainTasks(network, tasksPerIteration, inner, taskLossExamples,
                plan.metaTrainTask().train()), new DigitMetaTest(learnedLoss, network, plan), inner);
    }

    private DigitClassification(String name, LearnedLoss learnedLoss, DigitMetaTrainTasks tasks, DigitMetaTest metaTest,
                                Sgd inner) {
        super(name, new MetaTraining(learnedLoss, new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0),
                new UnrolledBackprop(new InnerLoop(1, inner.learningRate()), false)), tasks, metaTest,
                new DigitReport(metaTest));
        this.description = name.toLowerCase(Locale.ROOT) + "(" + metaTest.network() + ", " + learnedLoss.network() + ")";
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
        LearnedLoss loss = ConfigReaders.classificationLoss(s.section("learned-loss"), classes);
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

    @Override
    public String toString() {
        return description;
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
