package io.ml3spark.experiments.digits;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.ClassAccuracy;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.experiments.digits.DigitClassification.MetaTestPlan;
import io.ml3spark.experiments.digits.DigitTasks.DigitTask;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Fresh optimizees trained by SGD on the learned loss or the NLL, with held-out accuracy and NLL
 * after every step, on the test tasks (the unseen pairs; for 10-class, the held-out half of the
 * ten digits) and, for the binary experiment, on the meta-train pair's held-out half.
 */
record DigitMetaTest(LearnedLoss learnedLoss, DigitClassifier.Network network, MetaTestPlan plan)
        implements MetaTester {
    private static final long TEST_DATA = 14;
    private static final long TEST_INIT = 15;
    private static final long TEST_DROPOUT = 16;

    /** Whether the meta-train task is measured too (the binary experiment, whose test tasks are other pairs). */
    boolean measuresTrainTask() {
        return !plan.testTasks().isEmpty();
    }

    /**
     * The test tasks (the unseen pairs; for 10-class, the held-out half of the ten digits), then,
     * for the binary experiment, the meta-train pair's held-out half.
     */
    @Override
    public List<MetaTestUnit> units() {
        List<MetaTestUnit> units = new ArrayList<>(MetaTestUnit.bothMethods("test", testTasks().size()));
        if (measuresTrainTask()) {
            units.addAll(MetaTestUnit.bothMethods("train", 1));
        }
        return units;
    }

    List<DigitTask> testTasks() {
        return plan.testTasks().isEmpty() ? List.of(plan.metaTrainTask()) : plan.testTasks();
    }

    /** Held-out accuracy and NLL per SGD step, learned loss or NLL. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        DigitTask task = unit.taskSet().equals("test") ? testTasks().get(unit.task()) : plan.metaTrainTask();
        TrainingObjective objective = unit.learnedLoss()
                ? learnedLoss.withParameters(learnedLoss.layout().variables(backend, phi)) : TaskLoss.NLL.asObjective();
        double[][] curves = curves(objective, task, backend, Seeds.derive(runSeed, unit.taskSet().hashCode(), unit.task()));
        return new MetaTestMeasurement(unit, Map.of("accuracy", curves[0], "nll", curves[1]));
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
                nll[s] = mean(TaskLoss.NLL.perTask(logp, eval).toArray());
                accuracy[s] = ClassAccuracy.of(logp.toArray(), eval.targets().toArray(), network.classes());
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

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElse(Double.NaN);
    }
}
