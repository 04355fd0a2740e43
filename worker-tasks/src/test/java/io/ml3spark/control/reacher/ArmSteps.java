package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;

import java.util.List;
import java.util.SplittableRandom;

/** One-task states and torques for the arm tests, and the energy check both arms share. */
final class ArmSteps {
    private ArmSteps() {
    }

    static Tensor state(double... s) {
        return Tensor.constant(JvmBackend.INSTANCE, s, 1, 1, 4);
    }

    static Tensor torque(double t1, double t2) {
        return Tensor.constant(JvmBackend.INSTANCE, new double[] {t1, t2}, 1, 1, 2);
    }

    /** The largest relative change of the kinetic energy over {@code steps} steps without torque from {@code start}. */
    static double worstEnergyDrift(TwoLinkArm arm, Tensor start, int steps) {
        Tensor s = start;
        double e0 = arm.kineticEnergy(s).item();
        double worst = 0;
        for (int t = 0; t < steps; t++) {
            s = arm.step(s, torque(0, 0));
            worst = Math.max(worst, Math.abs(arm.kineticEnergy(s).item() - e0) / e0);
        }
        return worst;
    }

    /**
     * The first- and second-order finite-difference errors of {@code sum(s^2) + sum(sin s)} after {@code steps}
     * steps of {@code env} from 2 random starts under random actions, in the start state and the actions.
     */
    static double[] rolloutGradientErrors(Environment env, int steps) {
        GradCheck.Fn rollout = in -> {
            Tensor s = in.get(0);
            for (int t = 0; t < steps; t++) {
                s = env.step(s, in.get(1).slice(1, t, t + 1));
            }
            return s.mul(s).sum().add(s.sin().sum());
        };
        SplittableRandom rng = new SplittableRandom(7);
        List<double[]> values = List.of(GradCheck.uniform(rng, 2 * 4, -1, 1), GradCheck.uniform(rng, 2 * steps * 2, -0.8, 0.8));
        List<Shape> shapes = List.of(Shape.of(2, 1, 4), Shape.of(2, steps, 2));
        return new double[] {GradCheck.firstOrder(JvmBackend.INSTANCE, rollout, values, shapes),
                GradCheck.secondOrder(JvmBackend.INSTANCE, rollout, values, shapes, 11)};
    }
}
