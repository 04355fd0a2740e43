package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The core estimator against central differences of its own objective, through two inner steps (second order). */
class UnrolledBackpropTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private final LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 6, 1}, Activation.TANH, Activation.SOFTPLUS, true),
            LossInput.PREDICTION_TARGET);
    private final MlpOptimizee optimizee = new MlpOptimizee(new Mlp(new int[] {1, 5, 1}, Activation.TANH,
            Activation.IDENTITY, true), Init.XAVIER_UNIFORM, 0.0);

    private SupervisedProblem twoTasks() {
        double[] x = {-1, -0.4, 0.2, 0.9, -0.8, 0.1, 0.5, 1.2};
        double[] y = {0.5, 0.1, -0.3, -0.6, 1.1, 0.2, -0.4, -1.0};
        Shape shape = Shape.of(2, 4, 1);
        TaskBatch batch = new TaskBatch(Tensor.constant(JVM.fromArray(shape, x)), Tensor.constant(JVM.fromArray(shape, y)));
        return new SupervisedProblem(optimizee, batch, TaskLoss.MSE, optimizee.initialize(JVM, new long[] {3, 4}));
    }

    private double objective(UnrolledBackprop estimator, double[] phi) {
        return estimator.taskLossAfterSteps(loss.withParameters(loss.layout().variables(JVM, phi)), twoTasks(), false)
                .sum().item();
    }

    @Test
    void perStepReplayDifferentiatesOnlyTheLastStepAfterReplayingTheEarlierOnesAsConstants() {
        double lr = 0.5;
        double[] first = loss.initialPhi(JVM, new SplittableRandom(5), Init.XAVIER_UNIFORM, 0.1);
        double[] current = loss.initialPhi(JVM, new SplittableRandom(6), Init.XAVIER_UNIFORM, 0.1);
        MetaGradient g = new PerStepReplay(new InnerLoop(2, lr)).metaGradient(JVM, loss, java.util.List.of(first, current), twoTasks());
        // The objective of update 1 as a function of the current phi: one constant step with the first phi, then one on phi.
        java.util.function.ToDoubleFunction<double[]> objective = phi -> {
            SupervisedProblem p = twoTasks();
            java.util.List<Tensor> theta = InnerLoop.update(p.initialParameters(),
                    p.innerLoss(loss.withConstants(JVM, first), p.initialParameters()), lr, false);
            return new UnrolledBackprop(new InnerLoop(1, lr), false).taskLossAfterSteps(
                    loss.withConstants(JVM, phi), p.from(theta), false).sum().item();
        };
        assertEquals(objective.applyAsDouble(current), g.meanTaskLoss() * 2, 1e-12);
        assertCentralDifferences(objective, current, g.gradientSum());
    }

    @Test
    void theEvolutionStrategyOnTheSameProblemPointsTheSameWay() {
        UnrolledBackprop steps = new UnrolledBackprop(new InnerLoop(2, 0.5), false);
        double[] phi = loss.initialPhi(JVM, new SplittableRandom(11), Init.XAVIER_UNIFORM, 0.1);
        double[] exact = steps.metaGradient(JVM, loss, phi, twoTasks()).gradientSum();
        MetaGradientEstimator es = new EvolutionStrategyEstimator(new EvolutionStrategy(400, 1e-3), steps);
        MetaGradient sum = MetaGradient.zero(phi.length);
        for (int pair = 0; pair < 400; pair++) {
            sum = sum.plus(es.estimate(JVM, loss, phi, twoTasks(), Seeds.derive(7, pair)));
        }
        double[] estimate = sum.mean();
        double dot = 0;
        double a = 0;
        double b = 0;
        for (int i = 0; i < phi.length; i++) {
            dot += exact[i] * estimate[i];
            a += exact[i] * exact[i];
            b += estimate[i] * estimate[i];
        }
        double cosine = dot / Math.sqrt(a * b);
        assertTrue(cosine > 0.9, "cosine between the ES estimate and the exact meta-gradient: " + cosine);
        assertEquals(objective(steps, phi), ((EvolutionStrategyEstimator) es).objective(JVM, loss, phi, twoTasks()), 0.0);
    }

    /** {@code gradient} is d f / d phi at {@code phi}: central differences, relative to the gradient's size. */
    private static void assertCentralDifferences(java.util.function.ToDoubleFunction<double[]> f, double[] phi,
                                                 double[] gradient) {
        double scale = Arrays.stream(gradient).map(Math::abs).max().orElse(0);
        assertTrue(scale > 1e-4, "meta-gradient too small to check: " + scale);
        double h = 1e-6;
        for (int i = 0; i < phi.length; i++) {
            double[] up = phi.clone();
            double[] down = phi.clone();
            up[i] += h;
            down[i] -= h;
            assertEquals((f.applyAsDouble(up) - f.applyAsDouble(down)) / (2 * h), gradient[i], 1e-6 * scale, "d/dphi" + i);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void theMetaGradientIsTheDerivativeOfTheTaskLossAfterTheSteps(boolean afterEveryStep) {
        UnrolledBackprop estimator = new UnrolledBackprop(new InnerLoop(2, 0.5), afterEveryStep);
        double[] phi = loss.initialPhi(JVM, new SplittableRandom(11), Init.XAVIER_UNIFORM, 0.1);
        MetaGradient g = estimator.metaGradient(JVM, loss, phi, twoTasks());
        assertEquals(2, g.tasks());
        assertEquals(objective(estimator, phi), g.meanTaskLoss() * 2, 1e-12, "reported losses are the objective's");
        assertCentralDifferences(p -> objective(estimator, p), phi, g.gradientSum());
    }
}
