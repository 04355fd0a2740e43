package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One MountainCar step against values computed by hand from
 * {@code v' = v + (g m cos(3p) + a/m - k v) dt}, {@code p' = p + v' dt} (m = 0.2, g = -9.8,
 * k = 0.3, dt = 0.1), then the clipping rules, one test per rule.
 */
class MountainCarStepTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final double EXACT = 1e-14;
    private static final MountainCar CAR = MountainCar.REFERENCE;

    private static double[] step(MountainCar car, double p, double v, double a) {
        return car.step(Tensor.constant(JVM, new double[] {p, v}, 1, 1, 2), Tensor.constant(JVM, new double[] {a}, 1, 1, 1))
                .toArray();
    }

    @Test
    void unclippedStepFollowsTheEquationsOfMotion() {
        // cos(-1.65) = -0.0791209..., so g m cos = +0.155077; a/m = 0.5; v' = 0.0655077, p' = -0.55 + 0.00655077
        assertArrayEquals(new double[] {-0.5434492305793881, 0.06550769420611989}, step(CAR, -0.55, 0.0, 0.1), EXACT);
    }

    @Test
    void actionIsClippedToPlusMinusQuarter() {
        assertArrayEquals(step(CAR, -0.55, 0.0, 0.25), step(CAR, -0.55, 0.0, 5.0), 0.0);
        assertArrayEquals(step(CAR, -0.55, 0.0, -0.25), step(CAR, -0.55, 0.0, -5.0), 0.0);
        // a/m = 1.25: v' = (0.155077 + 1.25) * 0.1
        assertArrayEquals(new double[] {-0.53594923057938804, 0.14050769420611989}, step(CAR, -0.55, 0.0, 5.0), EXACT);
    }

    @Test
    void velocityIsClippedAboveAndThePositionUsesTheUnclippedVelocity() {
        // At p = -pi/6, cos(3p) = 0: v' = 1.45 + (1.25 - 0.435) * 0.1 = 1.5315 -> 1.5; p' = p + 0.15315
        double p = -Math.PI / 6;
        assertArrayEquals(new double[] {p + 0.15315, 1.5}, step(CAR, p, 1.45, 0.25), EXACT);
    }

    @Test
    void velocityIsClippedBelow() {
        double p = -Math.PI / 6;
        assertArrayEquals(new double[] {p - 0.15315, -1.5}, step(CAR, p, -1.45, -0.25), EXACT);
    }

    @Test
    void positionIsClippedAtTheGoalSideAndTheVelocityKept() {
        // cos(1.35) = 0.219006..: v' = 1 + (-0.429252 + 1.25 - 0.3) * 0.1 = 1.0520747; p' = 0.555207 -> 0.5
        assertArrayEquals(new double[] {0.5, 1.0520746893297639}, step(CAR, 0.45, 1.0, 0.25), EXACT);
    }

    @Test
    void positionIsClippedAtTheLeftWallWhereANegativeVelocityBecomesZero() {
        // cos(-3.45) = -0.952818..: v' = -1 + (1.867523 - 1.25 + 0.3) * 0.1 = -0.9082476; p' = -1.2408 -> -1.2, v -> 0
        assertArrayEquals(new double[] {-1.2, 0.0}, step(CAR, -1.15, -1.0, -0.25), 0.0);
    }

    @Test
    void clippedActionPassesTheLeakedFractionOfTheGradient() {
        assertEquals(0.0, actionGradient(CAR, 5.0)[1], 0.0);
        // dv'/da = dt / m = 0.5 when the action passes through
        assertEquals(0.5, actionGradient(CAR.withActionGradientLeak(1.0), 5.0)[1], EXACT);
        assertEquals(0.05, actionGradient(CAR.withActionGradientLeak(0.1), 5.0)[1], EXACT);
        assertEquals(0.05, actionGradient(CAR.withActionGradientLeak(0.1), -5.0)[1], EXACT);
        assertEquals(0.5, actionGradient(CAR, 0.1)[1], EXACT);
        assertEquals(0.5, actionGradient(CAR.withActionGradientLeak(0.1), 0.1)[1], EXACT);
    }

    @Test
    void leakChangesTheGradientNotTheStep() {
        for (double a : new double[] {-5.0, -0.1, 0.2, 5.0}) {
            assertArrayEquals(step(CAR, -0.55, 0.3, a), step(CAR.withActionGradientLeak(0.1), -0.55, 0.3, a), 0.0);
        }
    }

    private static double[] actionGradient(MountainCar car, double a) {
        Tensor state = Tensor.constant(JVM, new double[] {-0.55, 0.0}, 1, 1, 2);
        Tensor action = Tensor.variable(JVM, new double[] {a}, 1, 1, 1);
        Tensor next = car.step(state, action);
        double[] g = new double[2];
        for (int i = 0; i < 2; i++) {
            g[i] = Autograd.grad(next.slice(-1, i, i + 1).sum(), action, false).item();
        }
        return g;
    }

    @Test
    void positionVelocityClipsAndWallResetPassTheGradientStraightThrough() {
        // d(p', v')/d(p, v) of the unclipped equations, as the reference's .data overwrite leaves them
        assertStraightThrough(0.45, 1.0, 0.25);     // p clipped at 0.5
        assertStraightThrough(-Math.PI / 6, 1.45, 0.25);  // v clipped at 1.5
        assertStraightThrough(-1.15, -1.0, -0.25);  // p clipped at -1.2, v reset to 0
    }

    private static void assertStraightThrough(double p, double v, double a) {
        Tensor state = Tensor.variable(JVM, new double[] {p, v}, 1, 1, 2);
        Tensor next = CAR.step(state, Tensor.constant(JVM, new double[] {a}, 1, 1, 1));
        double dt = CAR.dt();
        double dvdp = -3 * CAR.gravity() * CAR.mass() * Math.sin(3 * p) * dt;
        double dvdv = 1 - CAR.friction() * dt;
        double[] dp = Autograd.grad(next.slice(-1, 0, 1).sum(), state, false).toArray();
        double[] dv = Autograd.grad(next.slice(-1, 1, 2).sum(), state, false).toArray();
        assertArrayEquals(new double[] {1 + dt * dvdp, dt * dvdv}, dp, EXACT);
        assertArrayEquals(new double[] {dvdp, dvdv}, dv, EXACT);
    }

    @Test
    void tasksOfABatchStepIndependently() {
        Tensor states = Tensor.constant(JVM, new double[] {-0.55, 0.0, 0.45, 1.0, -1.15, -1.0}, 3, 1, 2);
        Tensor actions = Tensor.constant(JVM, new double[] {0.1, 0.25, -0.25}, 3, 1, 1);
        double[] batched = CAR.step(states, actions).toArray();
        double[] expected = new double[6];
        System.arraycopy(step(CAR, -0.55, 0.0, 0.1), 0, expected, 0, 2);
        System.arraycopy(step(CAR, 0.45, 1.0, 0.25), 0, expected, 2, 2);
        System.arraycopy(step(CAR, -1.15, -1.0, -0.25), 0, expected, 4, 2);
        assertArrayEquals(expected, batched, 0.0);
    }
}
