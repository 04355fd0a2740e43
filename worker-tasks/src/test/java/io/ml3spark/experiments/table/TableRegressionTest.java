package io.ml3spark.experiments.table;

import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableRegressionTest {
    private static final Backend B = JvmBackend.INSTANCE;

    @Test
    void theMetaGradientOfTableTasksMatchesFiniteDifferencesOfTheQueryLoss() {
        OutlierLines family = new OutlierLines(2, 40, 0.1, 0.1, 5);
        TableSplit split = new TableSplit(0.2, 0.5, 4);
        List<TableTask> tasks = new ArrayList<>();
        for (long t = 0; t < 3; t++) {
            tasks.add(TableTask.of(TaskRows.of("line-" + t, Arrays.asList(family.rows(1, t))), split));
        }
        TableBatches batches = new TableBatches(new FeatureScaling(new double[2], new double[] {1, 1}), 6, 6);
        TableRegression regression = new TableRegression(new MlpOptimizee(
                new Mlp(new int[] {2, 6, 1}, Activation.TANH, Activation.IDENTITY, true), Init.TORCH_DEFAULT, 0.0), batches);
        TaskGroup group = regression.group(B, tasks, new long[] {11, 12, 13});
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 5, 1}, Activation.TANH, Activation.SOFTPLUS, true),
                LossInput.PREDICTION_TARGET);
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

    @Test
    void oneSeedPerTask() {
        TableRegression regression = new TableRegression(new MlpOptimizee(
                new Mlp(new int[] {1, 1}, Activation.IDENTITY, Activation.IDENTITY, false), Init.TORCH_DEFAULT, 0.0),
                new TableBatches(new FeatureScaling(new double[1], new double[] {1}), 1, 1));
        assertThrows(IllegalArgumentException.class, () -> regression.group(B, List.of(), new long[] {1}));
    }
}
