package io.ml3spark.experiments.mountaincar;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Gradients through MountainCar rollouts against central finite differences in float64,
 * at points where no clamp is active (there the clipped and straight-through rules agree
 * with the plain equations of motion): the task loss with respect to the policy, first and
 * second order, and the ML3 meta-gradient with respect to phi through one inner SGD step.
 */
class RolloutGradientTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final int HORIZON = 12;
    private static final double[] START = {-0.55, 0.0};
    private static final Mlp POLICY = new Mlp(new int[] {2, 16, 1}, Activation.IDENTITY, Activation.IDENTITY, false);
    private static final GoalDistance TASK_LOSS = new GoalDistance(new double[] {0.5, 1.0375},
            new double[] {-0.947, -0.0055}, 5);

    @Test
    void taskLossGradientWithRespectToThePolicyMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(3);
        List<double[]> theta = List.of(GradCheck.uniform(rng, 32, -0.3, 0.3), GradCheck.uniform(rng, 16, -0.3, 0.3));
        List<Shape> shapes = List.of(Shape.of(1, 2, 16), Shape.of(1, 16, 1));
        MlpOptimizee policy = new MlpOptimizee(POLICY, Init.TORCH_DEFAULT, 0.0);
        GradCheck.Fn loss = t -> TASK_LOSS.perTask(Rollout.of(MountainCar.REFERENCE, policy, t, START, HORIZON)).sum();

        assertNoClampActive(Rollout.of(MountainCar.REFERENCE, policy, constants(theta, shapes), START, HORIZON),
                policy, constants(theta, shapes));
        assertTrue(GradCheck.firstOrder(JVM, loss, theta, shapes) < GradCheck.TOLERANCE);
        assertTrue(GradCheck.secondOrder(JVM, loss, theta, shapes, 4) < GradCheck.TOLERANCE);
    }

    @Test
    void metaGradientThroughTheInnerStepMatchesFiniteDifferencesOfTheTaskLoss() {
        Mlp lossNet = new Mlp(new int[] {4, 4, 4, 1}, Activation.ELU, Activation.IDENTITY, true);
        MountainCarExperiment experiment = new MountainCarExperiment(MountainCar.REFERENCE, START, HORIZON, POLICY,
                new LearnedLoss(lossNet, LossInput.STATE_ACTION_COST), new InnerLoop(1, 0.01), MountainCarTraining.REFERENCE, false, TASK_LOSS, 2, 0.01);
        long seed = 7;
        List<Tensor> theta = experiment.control().initialPolicy(JVM, seed, 0);
        assertNoClampActive(experiment.control().rollout(theta), new MlpOptimizee(POLICY, Init.TORCH_DEFAULT, 0.0), theta);
        double[] phi = experiment.initialPhi(JVM, seed);

        double[] analytic = MetaGradients.of(experiment, JVM, phi, seed, 0, new int[] {0}).gradientSum();
        double worst = 0;
        double scale = 1;
        for (int i = 0; i < phi.length; i++) {
            double h = GradCheck.STEP * Math.max(1, Math.abs(phi[i]));
            double numeric = (taskLossAt(experiment, phi, i, h, seed) - taskLossAt(experiment, phi, i, -h, seed)) / (2 * h);
            worst = Math.max(worst, Math.abs(numeric - analytic[i]));
            scale = Math.max(scale, Math.abs(numeric));
        }
        assertTrue(worst / scale < GradCheck.TOLERANCE, "relative error " + worst / scale);
        assertTrue(java.util.Arrays.stream(analytic).anyMatch(g -> Math.abs(g) > 1e-6),
                "the meta-gradient is not trivially zero");
    }

    private static double taskLossAt(MountainCarExperiment e, double[] phi, int i, double delta, long seed) {
        double[] p = phi.clone();
        p[i] += delta;
        MetaGradient g = MetaGradients.of(e, JVM, p, seed, 0, new int[] {0});
        return g.taskLossSum();
    }

    private static List<Tensor> constants(List<double[]> values, List<Shape> shapes) {
        return List.of(Tensor.constant(JVM.fromArray(shapes.get(0), values.get(0))),
                Tensor.constant(JVM.fromArray(shapes.get(1), values.get(1))));
    }

    /** Every raw action inside +-0.25, every velocity inside +-1.5, every position strictly inside (-1.2, 0.5). */
    private static void assertNoClampActive(Rollout r, MlpOptimizee policy, List<Tensor> theta) {
        double[] s = r.states().toArray();
        double[] raw = policy.predict(theta, r.statesBeforeActions()).toArray();
        for (double a : raw) {
            assertTrue(Math.abs(a) < 0.25, "action " + a + " would be clipped");
        }
        for (int i = 0; i < s.length; i += 2) {
            assertTrue(s[i] > -1.2 && s[i] < 0.5 && Math.abs(s[i + 1]) < 1.5, "state clipped at step " + i / 2);
        }
    }
}
