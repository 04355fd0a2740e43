package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static io.ml3spark.control.reacher.ArmSteps.state;
import static io.ml3spark.control.reacher.ArmSteps.torque;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LegacySpecReacherTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    /** The spec's arm without damping and with joints that never reach their limits. */
    private static final LegacySpecReacher FREE = new LegacySpecReacher(2.0, 1.66667, 1.66667, 0.1, 0.11, 0.055, 0.0, 1.0, 1e6, 1.0, 0.01);

    @Test
    void withoutTorqueAndDampingTheArmKeepsItsEnergy() {
        double worst = ArmSteps.worstEnergyDrift(FREE, state(0.3, -0.5, 1.5, -2.0), 1000);
        // Semi-implicit Euler (MuJoCo's) at dt = 0.01, 1000 steps (10 s): measured 2.4e-5.
        assertTrue(worst < 1e-4, "relative energy error " + worst);
        assertTrue(worst > 0, "the integrator is not exact");
    }

    @Test
    void dampingDissipatesEnergyEveryStep() {
        LegacySpecReacher damped = FREE.with(1.0, 1.0, 1.0);
        Tensor s = state(0.3, -0.5, 1.5, -2.0);
        double e = damped.kineticEnergy(s).item();
        for (int t = 0; t < 200; t++) {
            s = damped.step(s, torque(0, 0));
            double next = damped.kineticEnergy(s).item();
            assertTrue(next < e, "step " + t + ": " + e + " -> " + next);
            e = next;
        }
    }

    @Test
    void theMassMatrixIsSymmetricPositiveDefinite() {
        for (double q2 = -Math.PI; q2 <= Math.PI; q2 += 0.1) {
            Tensor[] m = LegacySpecReacher.SPEC.massMatrix(Tensor.constant(B, new double[] {q2}, 1, 1, 1));
            double m11 = m[0].item();
            double m12 = m[1].item();
            double m22 = m[2].item();
            assertTrue(m11 > 0 && m22 > 0 && m11 * m22 - m12 * m12 > 0, "q2 = " + q2);
        }
        // At q2 = 0 by hand: M11 = 2 * 1.66667 + 2 * 0.1^2 + 2 * 2 * 0.1 * 0.055 + 1 = 4.37534.
        Tensor[] m = LegacySpecReacher.SPEC.massMatrix(Tensor.constant(B, new double[] {0}, 1, 1, 1));
        assertEquals(4.37534, m[0].item(), 1e-12);
        assertEquals(1.66667 + 0.011, m[1].item(), 1e-12);
        assertEquals(2.66667, m[2].item(), 1e-12);
    }

    @Test
    void fingertipAtKnownAnglesAndInverseKinematicsRoundTrips() {
        assertArrayEquals(new double[] {0.21, 0}, ReacherKinematics.fingertip(LegacySpecReacher.SPEC, 0, 0), 1e-15);
        assertArrayEquals(new double[] {0, 0.21}, ReacherKinematics.fingertip(LegacySpecReacher.SPEC, Math.PI / 2, 0), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.11}, ReacherKinematics.fingertip(LegacySpecReacher.SPEC, 0, Math.PI / 2), 1e-15);
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 200; i++) {
            double r = rng.nextDouble(0.011, 0.209);
            double a = rng.nextDouble(-Math.PI, Math.PI);
            double[] target = {r * Math.cos(a), r * Math.sin(a)};
            for (boolean elbowDown : new boolean[] {true, false}) {
                double[] q = ReacherKinematics.inverse(LegacySpecReacher.SPEC, target[0], target[1], elbowDown);
                assertArrayEquals(target, ReacherKinematics.fingertip(LegacySpecReacher.SPEC, q[0], q[1]), 1e-12);
                assertTrue(elbowDown ? q[1] >= 0 : q[1] <= 0);
            }
        }
        // The spec's training goal.
        double[] q = ReacherKinematics.inverse(LegacySpecReacher.SPEC, 0.0253, 0.1986, true);
        assertArrayEquals(new double[] {0.0253, 0.1986}, ReacherKinematics.fingertip(LegacySpecReacher.SPEC, q[0], q[1]), 1e-12);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ReacherKinematics.inverse(LegacySpecReacher.SPEC, 0.3, 0, true));
        assertEquals("fingertip target (0.3, 0.0) is 0.3000 from the base, outside the reach [0.0100, 0.2100]", e.getMessage());
    }

    @Test
    void torquesAreClippedAndJointsStopAtTheirLimits() {
        Tensor s = state(0.2, -0.1, 0.3, 0.4);
        assertArrayEquals(LegacySpecReacher.SPEC.step(s, torque(1, -1)).toArray(), LegacySpecReacher.SPEC.step(s, torque(2.5, -7)).toArray(), 0.0);
        // q1 = 2.9999 moving up at 1 rad/s: one step would take it to 3.0099; it stops at 3 with dq1 = 0.
        double[] next = LegacySpecReacher.SPEC.step(state(2.9999, 0, 1, 0), torque(0, 0)).toArray();
        assertEquals(3.0, next[0], 0.0);
        assertEquals(0.0, next[2], 0.0);
        double[] lower = LegacySpecReacher.SPEC.step(state(0, -2.9999, 0, -1), torque(0, 0)).toArray();
        assertEquals(-3.0, lower[1], 0.0);
        assertEquals(0.0, lower[3], 0.0);
        // Moving back inside from the limit is free.
        double[] inside = LegacySpecReacher.SPEC.step(state(3, 0, -1, 0), torque(0, 0)).toArray();
        assertTrue(inside[0] < 3 && inside[2] < 0);
    }

    @Test
    void aStepFromRestFollowsTheEquationsOfMotionByHand() {
        // At rest with q2 = 0 nothing but tau = (1, 0) acts: ddq = M^-1 tau.
        double m11 = 4.37534;
        double m12 = 1.67767;
        double m22 = 2.66667;
        double det = m11 * m22 - m12 * m12;
        double ddq1 = m22 / det;
        double ddq2 = -m12 / det;
        double[] next = LegacySpecReacher.SPEC.step(state(0, 0, 0, 0), torque(1, 0)).toArray();
        assertArrayEquals(new double[] {0.0001 * ddq1, 0.0001 * ddq2, 0.01 * ddq1, 0.01 * ddq2}, next, 1e-15);
        // The point mass by hand: v' = v + dt (a - 0.1 v), p' = p + dt v'.
        double[] pm = PointMass.EXTRAS.step(state(0.5, -0.5, 1, 2), Tensor.constant(B, new double[] {3, -0.5}, 1, 1, 2))
                .toArray();
        double vx = 1 + 0.05 * (1 - 0.1);
        double vy = 2 + 0.05 * (-0.5 - 0.2);
        assertArrayEquals(new double[] {0.5 + 0.05 * vx, -0.5 + 0.05 * vy, vx, vy}, pm, 1e-15);
    }

    @Test
    void gradientsThroughAShortRolloutMatchFiniteDifferencesToSecondOrder() {
        for (io.ml3spark.control.Environment env : List.of(LegacySpecReacher.SPEC, PointMass.EXTRAS)) {
            double[] errors = ArmSteps.rolloutGradientErrors(env, 5);
            assertTrue(errors[0] < GradCheck.TOLERANCE, env + ": first order " + errors[0]);
            assertTrue(errors[1] < GradCheck.TOLERANCE, env + ": second order " + errors[1]);
        }
    }

    /**
     * How far the earlier arm (LegacySpecReacher) can turn (docs/experiments/goal-reaching.md): from rest at (0, 0)
     * with full torque on both joints in every sign, the largest joint change after 65 and 150
     * steps of dt = 0.01, against the joint goal of the spec's test target (0.0553, 0.1509).
     */
    @Test
    void atItsTorqueLimitsTheSpecArmTurnsFarLessIn65StepsThanTheTestTargetNeeds() {
        double[] reach = new double[2];
        int[] horizons = {65, 150};
        for (int h = 0; h < 2; h++) {
            for (double t1 : new double[] {-1, 1}) {
                for (double t2 : new double[] {-1, 1}) {
                    Tensor s = state(0, 0, 0, 0);
                    for (int t = 0; t < horizons[h]; t++) {
                        s = LegacySpecReacher.SPEC.step(s, torque(t1, t2));
                    }
                    double[] q = s.toArray();
                    reach[h] = Math.max(reach[h], Math.max(Math.abs(q[0]), Math.abs(q[1])));
                }
            }
        }
        double[] goal = ReacherKinematics.inverse(LegacySpecReacher.SPEC, 0.0553, 0.1509, true);
        System.out.printf("largest joint change at the torque limits: %.4f rad in 65 steps, %.4f in 150;"
                + " the test target's joint goal (%.3f, %.3f)%n", reach[0], reach[1], goal[0], goal[1]);
        assertTrue(reach[0] < 0.2, "65 steps: " + reach[0]);
        assertTrue(Math.max(Math.abs(goal[0]), Math.abs(goal[1])) > 10 * reach[0]);
    }
}
