package io.ml3spark.experiments.table;

import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableInnerProblemTest {
    private static final Backend B = JvmBackend.INSTANCE;

    /** The summed meta-gradient of {@code group} checked against central differences of its summed query loss. */
    private static void assertMatchesFiniteDifferences(TaskGroup group, LearnedLoss loss) {
        double[] phi = loss.initialPhi(B, 3, new PhiInit(1, Init.XAVIER_UNIFORM, 0.0));
        UnrolledBackprop estimator = new UnrolledBackprop(new InnerLoop(2, 0.05), false);
        MetaGradient g = estimator.estimate(B, loss, List.of(phi), group);
        assertEquals(3, g.tasks());
        assertTrue(Arrays.stream(g.gradientSum()).map(Math::abs).max().orElseThrow() > 1e-4, "a gradient to check");
        double h = 1e-6;
        for (int i = 0; i < phi.length; i += 3) {
            double[] up = phi.clone();
            double[] down = phi.clone();
            up[i] += h;
            down[i] -= h;
            double fd = (estimator.estimate(B, loss, List.of(up), group).taskLossSum()
                    - estimator.estimate(B, loss, List.of(down), group).taskLossSum()) / (2 * h);
            assertEquals(fd, g.gradientSum()[i], 1e-6 * Math.max(1, Math.abs(fd)), "phi[" + i + "]");
        }
    }

    private static List<TableTask> tasks(TableSplit split, java.util.function.LongFunction<double[][]> rows) {
        List<TableTask> tasks = new ArrayList<>();
        for (long t = 0; t < 3; t++) {
            tasks.add(TableTask.of(TaskRows.of("task-" + t, Arrays.asList(rows.apply(t))), split));
        }
        return tasks;
    }

    @Test
    void theMetaGradientOfRegressionTasksMatchesFiniteDifferencesOfTheQueryMse() {
        OutlierLines family = new OutlierLines(2, 40, 0.1, 0.1, 5);
        List<TableTask> tasks = tasks(new TableSplit(0.2, 0.5, 4), t -> family.rows(1, t));
        TableBatches batches = new TableBatches(new FeatureScaling(new double[2], new double[] {1, 1}), 6, 6);
        TableInnerProblem problem = new TableInnerProblem(TableTaskKind.REGRESSION.optimizee(new MlpOptimizee(
                new Mlp(new int[] {2, 6, 1}, Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0)),
                batches, TableTaskKind.REGRESSION.taskLoss());
        assertMatchesFiniteDifferences(problem.group(B, tasks, new long[] {11, 12, 13}), new LearnedLoss(
                new Mlp(new int[] {2, 5, 1}, Activation.TANH, Activation.SOFTPLUS, true), LossInput.PREDICTION_TARGET));
    }

    @Test
    void theMetaGradientOfALossThatReadsTheFeaturesMatchesFiniteDifferences() {
        OutlierLines family = new OutlierLines(2, 40, 0.1, 0.1, 5);
        List<TableTask> tasks = tasks(new TableSplit(0.2, 0.5, 4), t -> family.rows(2, t));
        TableBatches batches = new TableBatches(new FeatureScaling(new double[] {0.1, -0.2}, new double[] {0.5, 2}), 6, 6);
        TableInnerProblem problem = new TableInnerProblem(new MlpOptimizee(new Mlp(new int[] {2, 6, 1}, Activation.TANH,
                Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0), batches, TableTaskKind.REGRESSION.taskLoss());
        assertMatchesFiniteDifferences(problem.group(B, tasks, new long[] {21, 22, 23}), new LearnedLoss(
                new Mlp(new int[] {4, 5, 1}, Activation.TANH, Activation.SOFTPLUS, true), LossInput.of(
                LossInput.input("x_0"), LossInput.input("x_1"), LossInput.prediction("prediction"),
                LossInput.target("target"))));
    }

    @Test
    void theMetaGradientOfClassificationTasksMatchesFiniteDifferencesOfTheQueryNll() {
        java.util.Random random = new java.util.Random(5);
        List<TableTask> tasks = tasks(new TableSplit(0.2, 0.5, 4), t -> {
            double[][] rows = new double[40][];
            for (int r = 0; r < rows.length; r++) {
                double x0 = random.nextGaussian();
                double x1 = random.nextGaussian();
                rows[r] = new double[] {x0, x1, x0 + t * x1 > 0 ? (x1 > 1 ? 2 : 1) : 0};
            }
            return rows;
        });
        TableBatches batches = new TableBatches(new FeatureScaling(new double[2], new double[] {1, 1}), 6, 6, 3);
        TaskBatch query = batches.query(B, tasks);
        assertArrayEquals(new int[] {3, 6, 3}, query.targets().shape().dims());
        double[] oneHot = query.targets().toArray();
        for (int row = 0; row < 18; row++) {
            assertEquals(1.0, oneHot[3 * row] + oneHot[3 * row + 1] + oneHot[3 * row + 2], 0.0, "one class per row");
        }
        TableInnerProblem problem = new TableInnerProblem(TableTaskKind.CLASSIFICATION.optimizee(new MlpOptimizee(
                new Mlp(new int[] {2, 6, 3}, Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0)),
                batches, TableTaskKind.CLASSIFICATION.taskLoss());
        assertMatchesFiniteDifferences(problem.group(B, tasks, new long[] {11, 12, 13}), new LearnedLoss(
                new Mlp(new int[] {2, 5, 1}, Activation.TANH, Activation.SOFTPLUS, true), LossInput.PER_CLASS_PREDICTION_TARGET));
    }

    @Test
    void aLabelThatIsNoClassIsNamed() {
        List<TableTask> tasks = tasks(new TableSplit(0.2, 0.5, 4), t -> {
            double[][] rows = new double[40][];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = new double[] {r, r == 7 ? 2.5 : r % 2};
            }
            return rows;
        });
        TableBatches batches = new TableBatches(new FeatureScaling(new double[1], new double[] {1}), 18, 18, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            batches.support(B, tasks);
            batches.query(B, tasks);
        });
        assertEquals("task 'task-0' has the label 2.5, not a class in 0..2", e.getMessage());
    }

    @Test
    void oneSeedPerTask() {
        TableInnerProblem regression = new TableInnerProblem(new MlpOptimizee(
                new Mlp(new int[] {1, 1}, Activation.IDENTITY, Activation.IDENTITY, false), Init.TORCH_DEFAULT, 0.0),
                new TableBatches(new FeatureScaling(new double[1], new double[] {1}), 1, 1), TableTaskKind.REGRESSION.taskLoss());
        assertThrows(IllegalArgumentException.class, () -> regression.group(B, List.of(), new long[] {1}));
    }
}
