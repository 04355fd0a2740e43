package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;


import static io.ml3spark.control.reacher.ArmSteps.state;
import static io.ml3spark.control.reacher.ArmSteps.torque;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReacherTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final Reacher ARM = Reacher.REFERENCE;
    /** The reference's bodies with their bias forces acting (a real arm's equations) and joints that never reach a limit. */
    private static final Reacher PHYSICAL = new Reacher(ArmBody.REFERENCE, 0, 0, 1, 1, false, 1e6, 0.001);

    @Test
    void withItsBiasForcesActingAndNoTorqueTheArmKeepsItsEnergy() {
        double worst = ArmSteps.worstEnergyDrift(PHYSICAL, state(0.3, -0.5, 1.5, -2.0), 2000);
        assertTrue(worst < 1e-3, "relative energy error " + worst);
        // Without them (the reference's cancelled Coriolis), the velocities simply stay.
        double[] kept = ARM.step(state(0.3, -0.5, 1.5, -2.0), torque(0, 0)).toArray();
        assertArrayEquals(new double[] {0.3 + 0.015, -0.5 - 0.02, 1.5, -2.0}, kept, 1e-15);
    }

    @Test
    void theActionForAnAccelerationProducesIt() {
        Tensor s = state(0.4, -1.1, 2.0, -3.0);
        Tensor acc = Tensor.constant(B, new double[] {5, -7}, 1, 1, 2);
        for (Reacher arm : new Reacher[] {ARM, new Reacher(ArmBody.REFERENCE, 0.5, 0.1, 200, 1e9, false, 3, 0.01)}) {
            double[] next = arm.step(s, arm.actionFor(s, acc)).toArray();
            assertEquals(2.0 + 0.05, next[2], 1e-12);
            assertEquals(-3.0 - 0.07, next[3], 1e-12);
        }
    }

    @Test
    void aJointThatReachesItsLimitStopsThereAndTheOtherKeepsItsMomentum() {
        // Joint 1 at 2.99 moving up at 5 rad/s passes 3 in this step; joint 2 moves freely.
        double[] before = {2.99, 0.4, 5.0, -1.0};
        double[] next = ARM.step(state(before), torque(0, 0)).toArray();
        assertEquals(3.0, next[0], 0.0);
        assertEquals(0.0, next[2], 0.0);
        double[] m = ARM.massMatrixAt(0.4);
        // Joint 2's generalised momentum M21 dq1 + M22 dq2 is what it was (the impulse acted on joint 1 alone).
        assertEquals(m[1] * 5.0 + m[2] * -1.0, m[2] * next[3], 1e-15);
        assertEquals(0.4 + 0.01 * next[3], next[1], 1e-15);
        assertTrue(next[3] > 0, "the stop pushes joint 2 on: " + next[3]);
        // At the lower limit the same.
        double[] lower = ARM.step(state(0.1, -2.995, 0, -2.0), torque(0, 0)).toArray();
        assertEquals(-3.0, lower[1], 0.0);
        assertEquals(0.0, lower[3], 0.0);
        assertEquals(0.1 + 0.01 * lower[2], lower[0], 1e-15);
        // Moving back inside from the limit is free.
        double[] inside = ARM.step(state(3, 0, -1, 0), torque(0, 0)).toArray();
        assertArrayEquals(new double[] {2.99, 0, -1, 0}, inside, 1e-15);
    }

    @Test
    void onItsLimitUnderOutwardTorqueAJointRestsAndTheOtherFollowsTheReducedDynamics() {
        double[] next = ARM.step(state(3, 0.7, 0, 0.5), torque(1, 0.3)).toArray();
        assertEquals(3.0, next[0], 0.0);
        assertEquals(0.0, next[2], 0.0);
        double m22 = ARM.massMatrixAt(0.7)[2];
        assertEquals(0.5 + 0.01 * 0.3 / m22, next[3], 1e-12);
    }

    @Test
    void whenTheStopCarriesTheOtherJointPastItsLimitBothStop() {
        double[] next = ARM.step(state(2.99, 2.999, 5, 0), torque(0, 0)).toArray();
        assertArrayEquals(new double[] {3, 3, 0, 0}, next, 0.0);
    }

    @Test
    void gradientsThroughAShortRolloutMatchFiniteDifferencesToSecondOrder() {
        Reacher damped = new Reacher(ArmBody.REFERENCE, 0.01, 0.001, 1.5, 1, false, 3, 0.01);
        for (Reacher arm : new Reacher[] {ARM, damped}) {
            double[] errors = ArmSteps.rolloutGradientErrors(arm, 5);
            assertTrue(errors[0] < GradCheck.TOLERANCE, "first order " + errors[0]);
            assertTrue(errors[1] < GradCheck.TOLERANCE, "second order " + errors[1]);
        }
    }

    /** Straight through the stop: the gradient of the stopped state is the unconstrained step's. */
    @Test
    void gradientsPassStraightThroughTheJointLimit() {
        Tensor u = Tensor.variable(B, new double[] {0.3, 0.2}, 1, 1, 2);
        Tensor s = state(2.99, 0.4, 5.0, -1.0);
        double[] stopped = Autograd.grad(ARM.step(s, u).sum(), u, false).toArray();
        Reacher unlimited = new Reacher(ArmBody.REFERENCE, 0, 0, 1, 1, true, 1e6, 0.01);
        assertArrayEquals(Autograd.grad(unlimited.step(s, u).sum(), u, false).toArray(), stopped, 1e-15);
    }

    @Test
    void torquesAreClippedAndScaledByTheGear() {
        Tensor s = state(0.2, -0.1, 0.3, 0.4);
        assertArrayEquals(ARM.step(s, torque(1, -1)).toArray(), ARM.step(s, torque(2.5, -7)).toArray(), 0.0);
        Reacher geared = new Reacher(ArmBody.REFERENCE, 0, 0, 200, 1, true, 3, 0.01);
        assertArrayEquals(ARM.step(state(0, 0, 0, 0), torque(0.5, 0)).toArray(),
                geared.step(state(0, 0, 0, 0), torque(0.0025, 0)).toArray(), 1e-15);
    }

    @Test
    void armsNoBodyCouldBeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new ArmBody(0.1, 0, 0, 1e-3, 2, 0, 1e-3, 0.11, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArmBody(0.1, 2, 0, -1e-3, 2, 0, 1e-3, 0.11, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new ArmBody(0.1, 2, 0, 1e-3, 2, 0, 1e-3, 0.11, -1, 0));
        // Masses and inertias so small that M(q) is numerically singular.
        ArmBody tiny = new ArmBody(0.1, 1e-200, 0, 1e-200, 1e-200, 0, 1e-200, 0.11, 0, 0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Reacher(tiny, 0, 0, 1, 1, true, 3, 0.01));
        assertTrue(e.getMessage().contains("singular"), e.getMessage());
    }

    @Test
    void theFingertipAndItsInverse() {
        assertArrayEquals(new double[] {0.21, 0}, ReacherKinematics.fingertip(ARM, 0, 0), 1e-15);
        assertArrayEquals(new double[] {0.1, 0.11}, ReacherKinematics.fingertip(ARM, 0, Math.PI / 2), 1e-15);
        double[] q = ReacherKinematics.inverse(ARM, 0.02534078, 0.19863741, true);
        assertArrayEquals(new double[] {1.1225, 0.6126}, q, 1e-4);
    }
}
