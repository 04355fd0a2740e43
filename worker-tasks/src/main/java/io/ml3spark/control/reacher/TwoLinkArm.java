package io.ml3spark.control.reacher;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;

/**
 * A planar two-link arm as a goal environment sees it: its geometry for the fingertip's
 * kinematics, its joint range and its torque limit. A state is {@code (q1, q2, dq1, dq2)}, an
 * action the two joint torques.
 */
public interface TwoLinkArm extends Environment {
    /** Joint 1 to joint 2 (m). */
    double link1();

    /** Joint 2 to the fingertip (m). */
    double link2();

    /** Each joint lies in [-jointLimit, jointLimit] (rad). */
    double jointLimit();

    /** Each action component is clipped to [-torqueLimit, torqueLimit]. */
    double torqueLimit();

    /** The time step (s). */
    double dt();

    /** The mass matrix entries {@code [M11, M12, M22]} at joint angle q2 {@code [B, 1, 1]}. */
    Tensor[] massMatrix(Tensor q2);

    /** Kinetic energy {@code 0.5 dq^T M(q) dq}, {@code [B, 1, 1]}. */
    default Tensor kineticEnergy(Tensor state) {
        Tensor[] m = massMatrix(state.slice(-1, 1, 2));
        Tensor dq1 = state.slice(-1, 2, 3);
        Tensor dq2 = state.slice(-1, 3, 4);
        return m[0].mul(dq1).mul(dq1).add(m[1].mul(dq1).mul(dq2).mul(2)).add(m[2].mul(dq2).mul(dq2)).mul(0.5);
    }
}
