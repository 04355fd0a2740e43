package io.ml3spark.experiments.mountaincar;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.FixedPoint;
import io.ml3spark.ml3.HeldDirections;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fixed-point meta-gradient (float64): its held direction is the gradient of the task loss
 * before the last inner step, its gradient is that of the fixed-point objective with the held
 * direction removed (both against central finite differences, through both inner steps), and
 * following it moves the last step less while the task loss before it stays.
 */
class FixedPointMetaGradientTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final long SEED = 5;

    private static MountainCarExperiment experiment(boolean fixedPoint, int innerSteps) {
        return new MountainCarExperiment(MountainCar.REFERENCE.withActionGradientLeak(0.1), new double[] {-0.55, 0.0}, 12,
                new Mlp(new int[] {2, 8, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                new LearnedLoss(new Mlp(new int[] {4, 8, 1}, Activation.ELU, Activation.IDENTITY, true),
                        LossInput.STATE_ACTION_COST),
                new InnerLoop(innerSteps, 0.05), new MountainCarTraining(1, false, true, null, fixedPoint),
                false, new GoalDistance(new double[] {0.5, 1.0375}, new double[] {-0.947, -0.0055}, 5), 2, 0.05);
    }

    private static double term(MountainCarExperiment e, double[] phi,
                               Function<FixedPoint.Terms, Tensor> which) {
        List<Tensor> phiTensors = e.learnedLoss().layout().variables(JVM, phi);
        return which.apply(e.fixedPointTerms(JVM, phiTensors, SEED)).item();
    }

    /** Central difference of a term of phi along {@code d}. */
    private static double directional(MountainCarExperiment e, double[] phi, double[] d,
                                      Function<FixedPoint.Terms, Tensor> which) {
        double h = 1e-6;
        double[] plus = phi.clone();
        double[] minus = phi.clone();
        for (int i = 0; i < phi.length; i++) {
            plus[i] += h * d[i];
            minus[i] -= h * d[i];
        }
        return (term(e, plus, which) - term(e, minus, which)) / (2 * h);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void gradientAndHeldDirectionMatchFiniteDifferences() {
        MountainCarExperiment e = experiment(true, 2);
        double[] phi = e.initialPhi(JVM, SEED);
        MetaGradient g = MetaGradients.of(e, JVM, phi, SEED, 0, new int[] {0});
        assertEquals(1, e.tasksPerIteration());
        assertEquals(1, g.heldDirections().length);
        double[] held = g.heldDirections()[0];
        double[] gradient = g.mean();
        assertEquals(0, dot(gradient, held), 1e-12 * Math.sqrt(dot(gradient, gradient) * dot(held, held)),
                "the gradient has no component along the held direction");

        SplittableRandom rng = new SplittableRandom(11);
        for (int trial = 0; trial < 3; trial++) {
            double[] d = new double[phi.length];
            for (int i = 0; i < d.length; i++) {
                d[i] = rng.nextGaussian();
            }
            double heldExpected = directional(e, phi, d, FixedPoint.Terms::taskLossBefore);
            assertEquals(heldExpected, dot(held, d), 1e-6 * Math.max(1, Math.abs(heldExpected)), "held direction");
            double[] inComplement = HeldDirections.project(d, new double[][] {held});
            double moveExpected = directional(e, phi, inComplement, FixedPoint.Terms::move);
            assertEquals(moveExpected, dot(gradient, inComplement), 1e-6 * Math.max(1e-3, Math.abs(moveExpected)),
                    "fixed-point gradient along a direction off the held one");
        }
        double reported = g.meanTaskLoss();
        MountainCarExperiment backprop = experiment(false, 2);
        assertEquals(MetaGradients.of(backprop, JVM, phi, SEED, 0, new int[] {0}).meanTaskLoss(), reported, 1e-12,
                "reports the task loss the backprop objective reports");
    }

    @Test
    void followingItShrinksTheLastStepWhileTheTaskLossBeforeItStays() {
        MountainCarExperiment e = experiment(true, 2);
        double[] phi = e.initialPhi(JVM, SEED);
        double moveBefore = term(e, phi, FixedPoint.Terms::move);
        double lossBefore = term(e, phi, FixedPoint.Terms::taskLossBefore);
        for (int it = 0; it < 100; it++) {
            MetaGradient g = MetaGradients.of(e, JVM, phi, SEED, it, new int[] {0});
            double[] next = phi.clone();
            double[] gradient = g.mean();
            double norm = Math.sqrt(dot(gradient, gradient));
            for (int i = 0; i < next.length; i++) {
                next[i] -= 0.1 * gradient[i] / norm;
            }
            phi = HeldDirections.step(phi, next, g.heldDirections());
        }
        double moveAfter = term(e, phi, FixedPoint.Terms::move);
        double lossAfter = term(e, phi, FixedPoint.Terms::taskLossBefore);
        assertTrue(moveAfter < 0.5 * moveBefore, "last step's squared move " + moveBefore + " -> " + moveAfter);
        assertEquals(lossBefore, lossAfter, 5e-3 * lossBefore, "task loss before the last step, held to first order");
    }

    @Test
    void needsASecondInnerStepAndTheRunsOneFixedPolicy() {
        IllegalArgumentException oneStep = assertThrows(IllegalArgumentException.class, () -> experiment(true, 1));
        assertTrue(oneStep.getMessage().startsWith("the fixed-point objective needs inner steps >= 2"), oneStep.getMessage());
        IllegalArgumentException resampled = assertThrows(IllegalArgumentException.class,
                () -> new MountainCarTraining(4, true, true, null, true));
        assertTrue(resampled.getMessage().contains("fixed-point objective"), resampled.getMessage());
    }
}
