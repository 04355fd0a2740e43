package io.ml3spark.experiments.table;

import io.ml3spark.config.Settings;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ConfigReaders;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;

import java.util.List;

/**
 * Regression on a user's own task family stored as a table (one task per task id): a learned
 * loss on (prediction, target) meta-trained with an MLP per task that steps on its support rows
 * and is scored by the MSE on its query rows; meta-tested on held-out tasks against SGD on the
 * MSE. The MLP's input width is the table's feature count, known once the table is read.
 */
public final class TableRegressionExperiment extends AssembledExperiment implements TableExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "table-regression";
    private static final long PHI_INIT = 5;

    /** What the config says; the table and partition complete it. */
    private record Recipe(TableSetup setup, LearnedLoss loss, int[] hidden, Activation activation, InnerLoop inner,
                          int testSteps, double testLearningRate) implements java.io.Serializable {
        MlpOptimizee optimizee(int features) {
            int[] layers = new int[hidden.length + 2];
            layers[0] = features;
            System.arraycopy(hidden, 0, layers, 1, hidden.length);
            layers[layers.length - 1] = 1;
            return new MlpOptimizee(new Mlp(layers, activation, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0);
        }
    }

    private final Recipe recipe;
    private final FeatureScaling scaling;
    private final List<TableTask> metaTestTasks;

    private TableRegressionExperiment(Recipe recipe, FeatureScaling scaling, List<TableTask> metaTestTasks,
                                      TablePartition partition) {
        super(NAME, new MetaTraining(recipe.loss(), new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0),
                        new UnrolledBackprop(recipe.inner(), false)),
                new TableTasks(scaling == null ? null : regression(recipe, scaling), recipe.setup(), partition),
                new TableMetaTest(recipe.loss(), scaling == null ? null : recipe.optimizee(scaling.mean().length),
                        scaling == null ? null : batches(recipe, scaling), metaTestTasks, recipe.testSteps(),
                        recipe.testLearningRate()),
                new TableReport(metaTestTasks.size()));
        this.recipe = recipe;
        this.scaling = scaling;
        this.metaTestTasks = metaTestTasks;
    }

    private static TableBatches batches(Recipe recipe, FeatureScaling scaling) {
        return new TableBatches(scaling, recipe.setup().supportRows(), recipe.setup().queryRows());
    }

    private static TableRegression regression(Recipe recipe, FeatureScaling scaling) {
        return new TableRegression(recipe.optimizee(scaling.mean().length), batches(recipe, scaling));
    }

    /** Builds the experiment from its config section (see conf/table-regression.conf). */
    public static TableRegressionExperiment fromSettings(Settings s) {
        TableSetup setup = TableSetup.read(s);
        Settings opt = s.section("optimizee");
        List<Integer> hidden = opt.getIntList("hidden");
        int[] widths = new int[hidden.size()];
        for (int i = 0; i < widths.length; i++) {
            if (hidden.get(i) < 1 || hidden.get(i) > Settings.MAX_SIZE) {
                throw opt.invalid("hidden", "layer widths in [1, " + Settings.MAX_SIZE + "], got " + hidden);
            }
            widths[i] = hidden.get(i);
        }
        LearnedLoss loss = ConfigReaders.learnedLoss(s.section("learned-loss"), LossInput.PREDICTION_TARGET);
        Settings inner = s.section("inner");
        Settings test = s.section("meta-test");
        Recipe recipe = new Recipe(setup, loss, widths, ConfigReaders.activation(opt, "activation"),
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")),
                test.getInt("steps", 1), test.getPositiveDouble("learning-rate"));
        return new TableRegressionExperiment(recipe, null, List.of(), null);
    }

    @Override
    public TableSetup setup() {
        return recipe.setup();
    }

    @Override
    public FeatureScaling scaling() {
        return scaling;
    }

    @Override
    public TableExperiment withTable(FeatureScaling scaling, List<TableTask> metaTestTasks) {
        return new TableRegressionExperiment(recipe, scaling, metaTestTasks, null);
    }

    @Override
    public TableExperiment onPartition(TablePartition partition) {
        return new TableRegressionExperiment(recipe, scaling, metaTestTasks, partition);
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, TableRegressionExperiment::fromSettings);
        }
    }
}
