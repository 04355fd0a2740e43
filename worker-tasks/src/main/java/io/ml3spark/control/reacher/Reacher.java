package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.InverseDynamics;

import java.util.List;
import java.util.Locale;

/**
 * The 2-link planar arm of ReacherGoal, differentiable and batched over a leading task
 * dimension: a state is {@code [B, 1, 4]} {@code (q1, q2, dq1, dq2)}, an action {@code [B, 1, 2]}.
 * The arm moves in the horizontal plane (no gravity). {@link #REFERENCE} is the arm the ML3
 * reference code simulates, checked against that arm's own trajectories
 * ({@code ReacherReferenceTest}).
 *
 * <p>Equations of motion: {@code M(q) ddq = gear u - damping dq - b(q, dq)}, u the action clipped to
 * [-torqueLimit, torqueLimit]. With {@code J1}, {@code J2} the inertias of link 1 about joint 1 and of
 * link 2 with the fingertip about joint 2, {@code m} the mass of link 2 with the fingertip and
 * {@code k = l1 (m2 c2 + mf lf)}, plus the armature a on each joint's diagonal:
 * <pre>
 *   M11 = J1 + J2 + m l1^2 + 2 k cos q2 + a,   M12 = J2 + k cos q2,   M22 = J2 + a
 *   b1  = -k sin q2 (2 dq1 dq2 + dq2^2),       b2  = k sin q2 dq1^2
 * </pre>
 * With {@code cancelBiasForces} the bias forces b are 0: the reference adds its inverse-dynamics
 * torque for zero acceleration to every action, so its arm obeys {@code M(q) ddq = u}. Semi-implicit
 * Euler: {@code dq' = dq + dt ddq}, then {@code q' = q + dt dq'}.
 *
 * <p>Joint limits are a constraint. A joint that would pass its limit in a step stops there: it is
 * placed on the limit with velocity 0 by an impulse on that joint alone, which through M^-1 changes
 * the other joint's velocity too (joint 2's generalised momentum {@code M21 dq1 + M22 dq2} is kept
 * when joint 1 stops, and the other way round); the other joint then moves with its new velocity,
 * and if that takes it past its own limit, both stop. A joint that rests on its limit while the
 * torque pushes it outward so stops every step, and the other joint moves under the reduced
 * dynamics {@code M_jj ddq_j = f_j}. The constraint is applied to values; gradients pass straight
 * through it (as through {@link Tensor#clampStraightThrough}).
 */
public record Reacher(ArmBody body, double damping, double armature, double gear, double torqueLimit,
                      boolean cancelBiasForces, double jointLimit, double dt) implements TwoLinkArm, InverseDynamics {

    /** The reference's arm: no damping, armature or gear, torques in [-1, 1], bias forces cancelled, joints in [-3, 3], dt = 0.01. */
    public static final Reacher REFERENCE = new Reacher(ArmBody.REFERENCE, 0.0, 0.0, 1.0, 1.0, true, 3.0, 0.01);

    public Reacher {
        if (!(dt > 0 && jointLimit > 0 && torqueLimit > 0 && gear > 0 && damping >= 0 && armature >= 0
                && Double.isFinite(dt + jointLimit + torqueLimit + gear + damping + armature))) {
            throw new IllegalArgumentException("reacher: dt, joint-limit, torque-limit and gear must be positive, damping and"
                    + " armature non-negative, all finite");
        }
        double[] worst = worstMassMatrix(body, armature, jointLimit);
        if (!(worst[1] > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, "reacher: the mass matrix is singular at q2 = %.4f"
                    + " (determinant %.3g): no arm has these masses, centres of mass and inertias", worst[0], worst[1]));
        }
    }

    @Override
    public double link1() {
        return body.link1();
    }

    @Override
    public double link2() {
        return body.fingertip();
    }

    private double coupling() {
        return coupling(body);
    }

    private static double coupling(ArmBody body) {
        return body.link1() * body.outerFirstMoment();
    }

    /** M11 without its {@code 2 k cos q2} term. */
    private double constantM11() {
        return constantM11(body, armature);
    }

    private static double constantM11(ArmBody body, double armature) {
        return body.inertiaAboutJoint1() + body.inertiaAboutJoint2() + body.outerMass() * body.link1() * body.link1() + armature;
    }

    /** {@code [M11, M12, M22]} at joint angle {@code q2}, on plain doubles. */
    public double[] massMatrixAt(double q2) {
        double k = coupling() * Math.cos(q2);
        double j2 = body.inertiaAboutJoint2();
        return new double[] {k * 2 + constantM11(), j2 + k, j2 + armature};
    }

    @Override
    public Tensor[] massMatrix(Tensor q2) {
        Tensor k = q2.cos().mul(coupling());
        double j2 = body.inertiaAboutJoint2();
        return new Tensor[] {k.mul(2).add(constantM11()), k.add(j2), Tensor.full(q2.backend(), j2 + armature, q2.shape().dims())};
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return policyOutput.clamp(-torqueLimit, torqueLimit);
    }

    /** {@code (damping dq + b(q, dq))} per joint, what the torque works against; {@code [B, 1, 1]} each. */
    private Tensor[] resistance(Tensor q2, Tensor dq1, Tensor dq2) {
        Tensor r1 = dq1.mul(damping);
        Tensor r2 = dq2.mul(damping);
        if (!cancelBiasForces) {
            Tensor h = q2.sin().mul(coupling());
            r1 = r1.sub(h.mul(dq1.mul(dq2).mul(2).add(dq2.mul(dq2))));
            r2 = r2.add(h.mul(dq1).mul(dq1));
        }
        return new Tensor[] {r1, r2};
    }

    /** {@code (M(q) ddq + damping dq + b(q, dq)) / gear}. */
    @Override
    public Tensor actionFor(Tensor state, Tensor acceleration) {
        Tensor[] m = massMatrix(state.slice(-1, 1, 2));
        Tensor[] r = resistance(state.slice(-1, 1, 2), state.slice(-1, 2, 3), state.slice(-1, 3, 4));
        Tensor a1 = acceleration.slice(-1, 0, 1);
        Tensor a2 = acceleration.slice(-1, 1, 2);
        Tensor u1 = m[0].mul(a1).add(m[1].mul(a2)).add(r[0]);
        Tensor u2 = m[1].mul(a1).add(m[2].mul(a2)).add(r[1]);
        return Tensor.concat(List.of(u1, u2), -1).div(gear);
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        Tensor q1 = state.slice(-1, 0, 1);
        Tensor q2 = state.slice(-1, 1, 2);
        Tensor dq1 = state.slice(-1, 2, 3);
        Tensor dq2 = state.slice(-1, 3, 4);
        Tensor tau = boundAction(action).mul(gear);
        Tensor[] r = resistance(q2, dq1, dq2);
        Tensor f1 = tau.slice(-1, 0, 1).sub(r[0]);
        Tensor f2 = tau.slice(-1, 1, 2).sub(r[1]);
        Tensor[] m = massMatrix(q2);
        Tensor det = m[0].mul(m[2]).sub(m[1].mul(m[1]));
        Tensor v1 = dq1.add(m[2].mul(f1).sub(m[1].mul(f2)).div(det).mul(dt));
        Tensor v2 = dq2.add(m[0].mul(f2).sub(m[1].mul(f1)).div(det).mul(dt));
        Tensor free = Tensor.concat(List.of(q1.add(v1.mul(dt)), q2.add(v2.mul(dt)), v1, v2), -1);
        return withJointLimits(state, free);
    }

    /** {@code free} with each task's joint-limit constraint applied to its values, gradients straight through. */
    private Tensor withJointLimits(Tensor state, Tensor free) {
        double[] start = state.toArray();
        double[] next = free.toArray();
        double[] correction = new double[next.length];
        boolean any = false;
        for (int b = 0; b < next.length / 4; b++) {
            int o = 4 * b;
            double[] constrained = constrain(start[o], start[o + 1], next[o], next[o + 1], next[o + 2], next[o + 3]);
            for (int i = 0; i < 4; i++) {
                correction[o + i] = constrained[i] - next[o + i];
                any |= correction[o + i] != 0;
            }
        }
        return any ? free.add(Tensor.constant(free.backend(), correction, free.shape().dims())) : free;
    }

    /**
     * The constrained {@code (q1', q2', v1', v2')} of a step from positions {@code (q1, q2)} whose
     * unconstrained result is {@code (n1, n2, v1, v2)}.
     */
    double[] constrain(double q1, double q2, double n1, double n2, double v1, double v2) {
        boolean over1 = Math.abs(n1) > jointLimit;
        boolean over2 = Math.abs(n2) > jointLimit;
        if (!over1 && !over2) {
            return new double[] {n1, n2, v1, v2};
        }
        if (over1 && over2) {
            return new double[] {clip(n1), clip(n2), 0, 0};
        }
        double[] m = massMatrixAt(q2);
        if (over1) {
            double w2 = v2 + m[1] / m[2] * v1;
            double p2 = q2 + dt * w2;
            return Math.abs(p2) > jointLimit ? new double[] {clip(n1), clip(p2), 0, 0} : new double[] {clip(n1), p2, 0, w2};
        }
        double w1 = v1 + m[1] / m[0] * v2;
        double p1 = q1 + dt * w1;
        return Math.abs(p1) > jointLimit ? new double[] {clip(p1), clip(n2), 0, 0} : new double[] {p1, clip(n2), w1, 0};
    }

    private double clip(double q) {
        return Math.max(-jointLimit, Math.min(jointLimit, q));
    }

    /**
     * {@code (q2, det M(q2))} where the determinant is smallest over the joint range: it is a
     * concave quadratic in cos q2, so at one end of cos q2's range.
     */
    private static double[] worstMassMatrix(ArmBody body, double armature, double jointLimit) {
        double j2 = body.inertiaAboutJoint2();
        double a = constantM11(body, armature);
        double k = coupling(body);
        double worstQ = 0;
        double worstDet = Double.POSITIVE_INFINITY;
        for (double q2 : new double[] {0, Math.min(jointLimit, Math.PI)}) {
            double c = Math.cos(q2);
            double det = (a + 2 * k * c) * (j2 + armature) - (j2 + k * c) * (j2 + k * c);
            if (det < worstDet) {
                worstDet = det;
                worstQ = q2;
            }
        }
        return new double[] {worstQ, worstDet};
    }
}
