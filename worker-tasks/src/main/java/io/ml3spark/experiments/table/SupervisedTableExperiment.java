package io.ml3spark.experiments.table;

import io.ml3spark.config.Settings;
import io.ml3spark.data.DataOpener;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ConfigReaders;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.ExperimentType;
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

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Supervised learning on a user's own task family stored as a table (one task per task id):
 * {@code table-regression} (the label a number) or {@code table-classification} (the label a
 * class index). An MLP per task steps on its support rows with the learned loss and is scored by
 * the task's own loss (MSE or NLL) on its query rows; the meta-test trains on held-out tasks
 * against SGD on that loss. The MLP's input width is the table's feature count, known once the
 * table is read.
 */
public final class SupervisedTableExperiment extends AssembledExperiment implements TableExperiment {
    private static final long serialVersionUID = 1L;
    private static final long PHI_INIT = 5;

    /** What the config says; the table and partition complete it. */
    private record Recipe(TableTaskKind kind, TableSetup setup, LearnedLoss loss, int[] hidden, Activation activation,
                          InnerLoop inner, int testSteps, double testLearningRate) implements Serializable {
        MlpOptimizee network(int features) {
            int[] layers = new int[hidden.length + 2];
            layers[0] = features;
            System.arraycopy(hidden, 0, layers, 1, hidden.length);
            layers[layers.length - 1] = setup.classes() == 0 ? 1 : setup.classes();
            return new MlpOptimizee(new Mlp(layers, activation, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0);
        }

        TableBatches batches(FeatureScaling scaling) {
            return new TableBatches(scaling, setup.supportRows(), setup.queryRows(), setup.classes());
        }

        TableInnerProblem problem(FeatureScaling scaling) {
            return new TableInnerProblem(kind.optimizee(network(scaling.mean().length)), batches(scaling),
                    kind.taskLoss());
        }
    }

    private final Recipe recipe;
    private final FeatureScaling scaling;
    private final TableTasks tasks;
    private final TableMetaTest metaTest;

    private SupervisedTableExperiment(Recipe recipe, FeatureScaling scaling, MetaTraining metaTraining, TableTasks tasks,
                                      TableMetaTest metaTest) {
        super(recipe.kind().experiment(), metaTraining, tasks, metaTest, new TableReport(recipe.kind(),
                metaTest.tasks().size()));
        this.recipe = recipe;
        this.scaling = scaling;
        this.tasks = tasks;
        this.metaTest = metaTest;
    }

    /** The experiment of {@code recipe}, completed with {@code scaling} and {@code metaTestTasks} where they are known. */
    private static SupervisedTableExperiment of(Recipe recipe, FeatureScaling scaling, List<TableTask> metaTestTasks) {
        TableInnerProblem problem = scaling == null ? null : recipe.problem(scaling);
        return new SupervisedTableExperiment(recipe, scaling, new MetaTraining(recipe.loss(),
                new PhiInit(PHI_INIT, Init.XAVIER_UNIFORM, 0.0), new UnrolledBackprop(recipe.inner(), false)),
                new TableTasks(problem, recipe.setup(), null),
                new TableMetaTest(recipe.kind(), recipe.loss(), problem == null ? null : problem.optimizee(),
                        problem == null ? null : problem.batches(), metaTestTasks, recipe.testSteps(),
                        recipe.testLearningRate()));
    }

    /** Builds the experiment of {@code kind} from its config section (see conf/table-regression.conf). */
    public static SupervisedTableExperiment fromSettings(TableTaskKind kind, Settings s) {
        TableSetup setup = TableSetup.read(s, kind);
        Settings opt = s.section("optimizee");
        List<Integer> hidden = opt.getIntList("hidden");
        int[] widths = new int[hidden.size()];
        for (int i = 0; i < widths.length; i++) {
            if (hidden.get(i) < 1 || hidden.get(i) > Settings.MAX_SIZE) {
                throw opt.invalid("hidden", "layer widths in [1, " + Settings.MAX_SIZE + "], got " + hidden);
            }
            widths[i] = hidden.get(i);
        }
        Settings ll = s.section("learned-loss");
        LearnedLoss loss = kind == TableTaskKind.REGRESSION ? ConfigReaders.learnedLoss(ll, regressionInput(ll, setup))
                : ConfigReaders.classificationLoss(ll, setup.classes());
        Settings inner = s.section("inner");
        Settings test = s.section("meta-test");
        Recipe recipe = new Recipe(kind, setup, loss, widths, ConfigReaders.activation(opt, "activation"),
                new InnerLoop(inner.getInt("steps", 1), inner.getPositiveDouble("learning-rate")),
                test.getInt("steps", 1), test.getPositiveDouble("learning-rate"));
        return of(recipe, null, List.of());
    }

    /**
     * A regression's learned-loss input: (yhat, y), or with {@code input = features-prediction-target}
     * the listed feature columns (standardised) before them, each a feature named after its column.
     */
    private static LossInput regressionInput(Settings ll, TableSetup setup) {
        String input = ll.hasPath("input") ? ll.getChoice("input", "prediction-target", "features-prediction-target")
                : "prediction-target";
        if (input.equals("prediction-target")) {
            return LossInput.PREDICTION_TARGET;
        }
        List<String> columns = setup.source().featureColumns();
        if (columns.isEmpty()) {
            throw ll.invalid("input", "prediction-target: a loss that reads features needs them listed (table.features),"
                    + " not named by a prefix, so that its width is known");
        }
        List<LossInput.Feature> features = new java.util.ArrayList<>();
        for (String c : columns) {
            String name = c.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
            features.add(LossInput.input(name.matches("[a-z].*") ? name : "x_" + name));
        }
        features.add(LossInput.prediction("prediction"));
        features.add(LossInput.target("target"));
        try {
            return LossInput.of(features.toArray(LossInput.Feature[]::new));
        } catch (IllegalArgumentException e) {
            throw ll.invalid("input", "features with distinct names: " + e.getMessage());
        }
    }

    public TableTaskKind kind() {
        return recipe.kind();
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
        return of(recipe, scaling, metaTestTasks);
    }

    /** Shares every part but the tasks' partition: a Spark task calls this in every iteration. */
    @Override
    public TableExperiment onPartition(TablePartition partition) {
        return new SupervisedTableExperiment(recipe, scaling, metaTraining(), new TableTasks(tasks.problem(),
                tasks.setup(), partition), metaTest);
    }

    /** Its experiment types, named in META-INF/services for the registry. */
    public static final class Type implements ExperimentType {
        @Override
        public List<String> names() {
            return Arrays.stream(TableTaskKind.values()).map(TableTaskKind::experiment).toList();
        }

        @Override
        public Experiment fromSettings(String name, Settings section, DataOpener data) {
            return SupervisedTableExperiment.fromSettings(Arrays.stream(TableTaskKind.values())
                    .filter(k -> k.experiment().equals(name)).findFirst().orElseThrow(), section);
        }
    }
}
