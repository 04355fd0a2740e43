package io.ml3spark.experiments.mountaincar;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.ml3.EvolutionStrategy;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the MountainCar meta-objective is smooth (short horizon, no clamp active), the
 * evolution-strategy meta-gradient points where the backpropagated one does, and its task
 * loss is the objective the backpropagated run reports.
 */
class EvolutionStrategyMetaGradientTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final long SEED = 7;

    private static MountainCarExperiment experiment(EvolutionStrategy es) {
        return new MountainCarExperiment(MountainCar.REFERENCE, new double[] {-0.55, 0.0}, 12,
                new Mlp(new int[] {2, 16, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                new LearnedLoss(new Mlp(new int[] {4, 4, 1}, Activation.ELU, Activation.IDENTITY, true),
                        LossInput.STATE_ACTION_COST),
                new InnerLoop(2, 0.01), new MountainCarTraining(1, false, true, es), false,
                new GoalDistance(new double[] {0.5, 1.0375}, new double[] {-0.947, -0.0055}, 5), 2, 0.01);
    }

    @Test
    void agreesWithBackpropagationWhereTheObjectiveIsSmooth() {
        MountainCarExperiment backprop = experiment(null);
        int pairs = 3000;
        MountainCarExperiment es = experiment(new EvolutionStrategy(pairs, 1e-3));
        double[] phi = backprop.initialPhi(JVM, SEED);
        MetaGradient exact = MetaGradients.of(backprop, JVM, phi, SEED, 0, new int[] {0});
        MetaGradient estimate = MetaGradients.of(es, JVM, phi, SEED, 0, IntStream.range(0, pairs).toArray());

        double cosine = cosine(exact.mean(), estimate.mean());
        System.out.printf("cosine(ES, backprop) = %.3f over %d pairs%n", cosine, pairs);
        assertTrue(cosine > 0.9, "cosine " + cosine);
        assertEquals(exact.meanTaskLoss(), estimate.meanTaskLoss(), 1e-3);
        assertEquals(pairs, es.tasksPerIteration());
    }

    private static double cosine(double[] a, double[] b) {
        double ab = 0, aa = 0, bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
