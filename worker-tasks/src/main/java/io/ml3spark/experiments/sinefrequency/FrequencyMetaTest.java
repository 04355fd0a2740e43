package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/** SGD on theta from the test's initial value, on the learned loss or the MSE, one unit per test frequency. */
public record FrequencyMetaTest(LearnedLoss learnedLoss, SineFrequencyOptimizee optimizee,
                                FrequencyTestSettings settings)
        implements MetaTester {
    @Override
    public List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods("test", settings.frequencies().length);
    }

    /** The unit's theta after each SGD step. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        TrainingObjective objective = unit.learnedLoss() ? learnedLoss.withConstants(backend, phi)
                : TaskLoss.MSE.asObjective();
        return new MetaTestMeasurement(unit, Map.of("theta", thetaCurves(backend, objective, new int[] {unit.task()})[0]));
    }

    /** The test tasks {@code y = sin(w x)} on the input grid, one per test frequency, extra = w. */
    public TaskBatch testTasks(Backend backend) {
        return testTasks(backend, allTestTasks());
    }

    /** The listed test tasks (indices into the test frequencies). */
    TaskBatch testTasks(Backend backend, int[] tasks) {
        int b = tasks.length;
        int n = settings.inputs().length;
        double[] x = new double[b * n];
        double[] y = new double[b * n];
        double[] w = new double[b];
        for (int t = 0; t < b; t++) {
            w[t] = settings.frequencies()[tasks[t]];
            for (int i = 0; i < n; i++) {
                x[t * n + i] = settings.inputs()[i];
                y[t * n + i] = Math.sin(w[t] * settings.inputs()[i]);
            }
        }
        return new TaskBatch(Tensor.constant(backend, x, b, n, 1), Tensor.constant(backend, y, b, n, 1),
                Tensor.constant(backend, w, b, 1, 1));
    }

    private int[] allTestTasks() {
        return IntStream.range(0, settings.frequencies().length).toArray();
    }

    /** {@code theta[t][s]}: test task t's frequency after s SGD steps on {@code objective}, s = 0..steps. */
    public double[][] thetaCurves(Backend backend, TrainingObjective objective) {
        return thetaCurves(backend, objective, allTestTasks());
    }

    private double[][] thetaCurves(Backend backend, TrainingObjective objective, int[] tasks) {
        TaskBatch batch = testTasks(backend, tasks);
        double[] init = new double[batch.tasks()];
        Arrays.fill(init, settings.initialTheta());
        List<Tensor> theta = List.of(Tensor.variable(backend, init, batch.tasks(), 1, 1));
        double[][] curves = new double[batch.tasks()][settings.steps() + 1];
        for (int s = 0; s <= settings.steps(); s++) {
            if (s > 0) {
                theta = InnerLoop.step(objective, optimizee, theta, batch, settings.learningRate(), false);
            }
            double[] values = theta.get(0).toArray();
            for (int t = 0; t < values.length; t++) {
                curves[t][s] = values[t];
            }
        }
        return curves;
    }

    /** {@code [0]}: the learned loss, {@code [1]}: the MSE, at each landscape theta on the first test task. */
    public double[][] landscape(Backend backend, double[] phi) {
        double[] thetas = settings.landscapeThetas();
        int n = settings.inputs().length;
        int b = thetas.length;
        double[] x = new double[b * n];
        double[] y = new double[b * n];
        double w = settings.frequencies()[0];
        for (int t = 0; t < b; t++) {
            for (int i = 0; i < n; i++) {
                x[t * n + i] = settings.inputs()[i];
                y[t * n + i] = Math.sin(w * settings.inputs()[i]);
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
}
