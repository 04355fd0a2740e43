package io.ml3spark.control.reacher;

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
}
