package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.Tensor;

import java.util.List;

/**
 * The arm that ReacherGoal used before version 2 of the config format:
 * constants that no simulator uses (inertia 1.66667 about each joint, damping 1, armature 1),
 * and joint limits that stop a joint without a reaction on the other. It is kept, unchanged to
 * the bit, for one purpose: a run recorded before the change resumes and evaluates as it
 * started ({@code arm.model = legacy-spec-v1}, which the config upgrade writes into such a run's
 * config). New runs use {@link Reacher}. Differentiable and batched over a leading task
 * dimension as {@link Reacher}.
 *
 * <p>Equations of motion: {@code M(q) ddq + c(q, dq) + d dq = tau}, with link i's mass m_i,
 * inertia I_i about its own joint, link 1's length l1 and link 2's centre of mass at c2 from
 * joint 2, plus the armature a on each joint's diagonal:
 * <pre>
 *   M11 = I1 + I2 + m2 l1^2 + 2 m2 l1 c2 cos q2 + a,  M12 = M21 = I2 + m2 l1 c2 cos q2,  M22 = I2 + a
 *   c1  = -m2 l1 c2 sin q2 (2 dq1 dq2 + dq2^2),      c2 = m2 l1 c2 sin q2 dq1^2
 * </pre>
 * Semi-implicit Euler as MuJoCo steps: {@code dq' = dq + dt M^-1 (tau - c - d dq)}, then
 * {@code q' = q + dt dq'}. Torques are clipped to the limits (no gradient where clipped, as
 * {@code torch.clamp}); a joint at its range limit stops there with its outward velocity set
 * to zero (straight-through gradients, as MountainCar's wall).
 */
public record LegacySpecReacher(double mass2, double inertia1, double inertia2, double link1, double link2, double comDistance2,
                      double damping, double armature, double jointLimit, double torqueLimit, double dt)
        implements TwoLinkArm {

    /**
     * The old arm: links 0.1 and 0.11 (to the fingertip), mass 2 and inertia 1.66667 about
     * each joint, damping 1, armature 1, joints in [-3, 3], torques in [-1, 1], dt = 0.01, link 2's
     * centre of mass 0.055 from joint 2.
     */
    public static final LegacySpecReacher SPEC = new LegacySpecReacher(2.0, 1.66667, 1.66667, 0.1, 0.11, 0.055, 1.0, 1.0, 3.0, 1.0, 0.01);

    public LegacySpecReacher {
        if (!(dt > 0 && link1 > 0 && link2 > 0 && jointLimit > 0 && torqueLimit > 0 && damping >= 0 && armature >= 0)) {
            throw new IllegalArgumentException("reacher: dt, link lengths and limits must be positive, damping and"
                    + " armature non-negative");
        }
    }

    /** The same arm with another damping and armature (e.g. 0 for the conservation checks). */
    public LegacySpecReacher with(double newDamping, double newArmature, double newTorqueLimit) {
        return new LegacySpecReacher(mass2, inertia1, inertia2, link1, link2, comDistance2, newDamping, newArmature, jointLimit,
                newTorqueLimit, dt);
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return policyOutput.clamp(-torqueLimit, torqueLimit);
    }

    @Override
    public Tensor[] massMatrix(Tensor q2) {
        Tensor coupling = q2.cos().mul(mass2 * link1 * comDistance2);
        Tensor m11 = coupling.mul(2).add(inertia1 + inertia2 + mass2 * link1 * link1 + armature);
        Tensor m12 = coupling.add(inertia2);
        Tensor m22 = Tensor.full(q2.backend(), inertia2 + armature, q2.shape().dims());
        return new Tensor[] {m11, m12, m22};
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        Tensor q1 = state.slice(-1, 0, 1);
        Tensor q2 = state.slice(-1, 1, 2);
        Tensor dq1 = state.slice(-1, 2, 3);
        Tensor dq2 = state.slice(-1, 3, 4);
        Tensor tau = boundAction(action);
        Tensor h = q2.sin().mul(mass2 * link1 * comDistance2);
        Tensor bias1 = h.neg().mul(dq1.mul(dq2).mul(2).add(dq2.mul(dq2)));
        Tensor bias2 = h.mul(dq1).mul(dq1);
        Tensor f1 = tau.slice(-1, 0, 1).sub(bias1).sub(dq1.mul(damping));
        Tensor f2 = tau.slice(-1, 1, 2).sub(bias2).sub(dq2.mul(damping));
        Tensor[] m = massMatrix(q2);
        Tensor det = m[0].mul(m[2]).sub(m[1].mul(m[1]));
        Tensor ddq1 = m[2].mul(f1).sub(m[1].mul(f2)).div(det);
        Tensor ddq2 = m[0].mul(f2).sub(m[1].mul(f1)).div(det);
        Tensor v1 = dq1.add(ddq1.mul(dt));
        Tensor v2 = dq2.add(ddq2.mul(dt));
        Tensor[] j1 = limit(q1.add(v1.mul(dt)), v1);
        Tensor[] j2 = limit(q2.add(v2.mul(dt)), v2);
        return Tensor.concat(List.of(j1[0], j2[0], j1[1], j2[1]), -1);
    }

    /** A joint at its range limit stays there, and its velocity out of the range becomes 0. */
    private Tensor[] limit(Tensor q, Tensor v) {
        Tensor clipped = q.clampStraightThrough(-jointLimit, jointLimit);
        Tensor atUpper = clipped.gt(jointLimit - 1e-12).mul(v.gt(0.0));
        Tensor atLower = Tensor.scalar(q.backend(), -jointLimit + 1e-12).gt(clipped).mul(Tensor.scalar(q.backend(), 0.0).gt(v));
        Tensor stopped = atUpper.add(atLower);
        return new Tensor[] {clipped, Tensor.where(stopped, v.sub(v.detach()), v)};
    }
}
