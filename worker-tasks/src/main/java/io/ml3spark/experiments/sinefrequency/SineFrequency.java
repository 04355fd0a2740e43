package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.config.Settings;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ConfigReaders;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.PerStepReplay;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;

import java.util.List;

/**
 * Loss shaping with extra information (paper Fig. 5 left): the optimizee {@code sin(theta x)}
 * is trained by SGD on a learned loss of {@code (x, yhat, y)}; at meta-train time the task
 * loss is either the distance to the true frequency {@code (theta - theta*)^2} (extra
 * information, the shaped loss) or the MSE ({@link FrequencyTasks}). By default phi takes an
 * Adam step after every inner step, theta carrying over between them as a constant (as in the
 * reference code). The meta-test is {@link FrequencyMetaTest}, its report {@link FrequencyReport}.
 */
public final class SineFrequency extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "sine-frequency";

    private static final long PHI_INIT = 5;

    /** How the inner steps of a task turn into meta-updates. */
    public enum MetaUpdate {
        /** One meta-update after every inner step, through that step only (the reference). */
        EVERY_STEP,
        /** One meta-update per iteration on the task loss after the last step, through all steps. */
        UNROLLED
    }

    private final FrequencyMetaTest frequencyTest;

    public SineFrequency(LearnedLoss learnedLoss, double biasInit, SineFrequencyOptimizee optimizee,
                         InnerLoop innerLoop, FrequencyTaskLoss taskLoss, MetaUpdate metaUpdate,
                         SineTaskFamily trainTasks, int trainTaskCount, FrequencyTestSettings test) {
        this(new MetaTraining(requireShapedInput(learnedLoss), new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, biasInit),
                        estimator(metaUpdate, innerLoop)),
                new FrequencyTasks(optimizee, taskLoss, trainTasks, trainTaskCount),
                new FrequencyMetaTest(learnedLoss, optimizee, test));
    }

    private SineFrequency(MetaTraining training, FrequencyTasks tasks, FrequencyMetaTest metaTest) {
        super(NAME, training, tasks, metaTest, new FrequencyReport(metaTest));
        this.frequencyTest = metaTest;
    }

    private static LearnedLoss requireShapedInput(LearnedLoss learnedLoss) {
        if (!learnedLoss.input().equals(LossInput.INPUT_PREDICTION_TARGET)) {
            throw new IllegalArgumentException("the shaped sine loss takes (x, yhat, y), got " + learnedLoss.network()
                    + " on " + learnedLoss.input());
        }
        return learnedLoss;
    }

    /** Per-step meta-updates by replay, or backpropagation through all steps. */
    private static MetaGradientEstimator estimator(MetaUpdate metaUpdate, InnerLoop innerLoop) {
        return metaUpdate == MetaUpdate.EVERY_STEP ? new PerStepReplay(innerLoop) : new UnrolledBackprop(innerLoop, false);
    }

    /** Builds the experiment from its config section (see conf/sine-frequency-shaped.conf). */
    public static SineFrequency fromSettings(Settings s) {
        Settings ll = s.section("learned-loss");
        LearnedLoss loss = ConfigReaders.learnedLoss(ll, LossInput.INPUT_PREDICTION_TARGET);
        Settings inner = s.section("inner");
        Settings train = s.section("train-tasks");
        Range inputs = Range.read(train, "inputs");
        SineTaskFamily family = new SineTaskFamily(Range.fixed(1), Range.fixed(0), Range.read(train, "frequency"),
                inputs, train.getInt("points", 1));
        Settings t = s.section("meta-test");
        List<Double> freqs = t.getDoubleList("frequencies");
        if (freqs.isEmpty()) {
            throw t.invalid("frequencies", "at least one test frequency");
        }
        FrequencyTestSettings test = new FrequencyTestSettings(freqs.stream().mapToDouble(Double::doubleValue).toArray(),
                grid(t, "inputs", "input-step"), t.getDouble("initial-theta"), t.getInt("steps", 1),
                t.getPositiveDouble("learning-rate"), grid(t, "landscape", "landscape-step"));
        return new SineFrequency(loss, ll.getDouble("bias-init"),
                new SineFrequencyOptimizee(Range.read(s.section("optimizee"), "initial-theta")),
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")),
                s.getEnum("task-loss", FrequencyTaskLoss.class), s.getEnum("meta-update", MetaUpdate.class),
                family, train.getInt("count", 1), test);
    }

    /** The points {@code lo, lo + step, ...} up to {@code hi} (inclusive, to rounding) of the range at {@code path}. */
    private static double[] grid(Settings s, String path, String stepPath) {
        Range r = Range.read(s, path);
        double step = s.getPositiveDouble(stepPath);
        int n = (int) Math.floor((r.hi() - r.lo()) / step + 1e-9) + 1;
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            g[i] = r.lo() + i * step;
        }
        return g;
    }

    /** The meta-test, with its theta curves and loss landscape. */
    public FrequencyMetaTest frequencyTest() {
        return frequencyTest;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, SineFrequency::fromSettings);
        }
    }
}
