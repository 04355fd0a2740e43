package io.ml3spark.control.reacher;

/**
 * Forward and inverse kinematics of the reacher's fingertip, on plain doubles (goals are
 * computed once per task, not differentiated): fingertip
 * {@code (l1 cos q1 + l2 cos(q1 + q2), l1 sin q1 + l2 sin(q1 + q2))}.
 */
public final class ReacherKinematics {
    private ReacherKinematics() {
    }

    public static double[] fingertip(TwoLinkArm arm, double q1, double q2) {
        return new double[] {arm.link1() * Math.cos(q1) + arm.link2() * Math.cos(q1 + q2),
                arm.link1() * Math.sin(q1) + arm.link2() * Math.sin(q1 + q2)};
    }

    /**
     * Joint angles {@code (q1, q2)} that put the fingertip at {@code (x, y)}, elbow-down
     * ({@code q2 >= 0}) or elbow-up; a target out of reach fails naming its distance and the reach.
     */
    public static double[] inverse(TwoLinkArm arm, double x, double y, boolean elbowDown) {
        double l1 = arm.link1();
        double l2 = arm.link2();
        double r2 = x * x + y * y;
        double cos2 = (r2 - l1 * l1 - l2 * l2) / (2 * l1 * l2);
        if (cos2 > 1 + 1e-12 || cos2 < -1 - 1e-12) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "fingertip target (%s, %s) is %.4f from the base, outside the reach [%.4f, %.4f]", x, y,
                    Math.sqrt(r2), Math.abs(l1 - l2), l1 + l2));
        }
        double q2 = Math.acos(Math.max(-1, Math.min(1, cos2))) * (elbowDown ? 1 : -1);
        double q1 = Math.atan2(y, x) - Math.atan2(l2 * Math.sin(q2), l1 + l2 * Math.cos(q2));
        return new double[] {q1, q2};
    }
}
