package io.ml3spark.experiments.sine;

import io.ml3spark.config.Settings;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ConfigReaders;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;

import static io.ml3spark.experiments.ConfigReaders.activation;
import static io.ml3spark.experiments.ConfigReaders.layers;

/**
 * Sine regression (paper Fig. 2 top): a learned loss on (yhat, y) meta-trained on sine
 * tasks ({@link SineTasks}), meta-tested on out-of-distribution amplitudes, phases and inputs
 * against SGD on the MSE ({@link SineMetaTest}, {@link SineReport}).
 */
public final class SineRegression extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "sine-regression";

    /** Seed streams of the run seed (see {@link io.ml3spark.ml3.Seeds}). */
    static final long TRAIN_DATA = 1;
    static final long TRAIN_INIT = 2;
    static final long TEST_DATA = 3;
    static final long TEST_INIT = 4;
    private static final long PHI_INIT = 5;

    private final MetaObjective objective;

    public SineRegression(MetaObjective objective, SineTaskFamily trainTasks, int trainTaskCount,
                          boolean resampleTrainTasks, SineTaskFamily testTasks, int testTaskCount, int testSteps,
                          double testLearningRate) {
        this(objective, new SineTasks(objective, trainTasks, trainTaskCount, resampleTrainTasks),
                testTasks, testTaskCount, testSteps, testLearningRate);
    }

    private SineRegression(MetaObjective objective, SineTasks tasks, SineTaskFamily testTasks, int testTaskCount,
                           int testSteps, double testLearningRate) {
        this(objective, tasks, new SineMetaTest(objective, tasks, testTasks, testTaskCount, testSteps,
                testLearningRate));
    }

    private SineRegression(MetaObjective objective, SineTasks tasks, SineMetaTest metaTest) {
        super(NAME, new MetaTraining(objective.learnedLoss(), new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0),
                objective.estimator()), tasks, metaTest, new SineReport(metaTest));
        this.objective = objective;
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
        return new SineTaskFamily(Range.read(s, "amplitude"), Range.read(s, "phase"), Range.read(s, "frequency"), Range.read(s, "inputs"),
                s.getInt("points", 1));
    }

    public MetaObjective objective() {
        return objective;
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, SineRegression::fromSettings);
        }
    }
}
