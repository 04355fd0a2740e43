package io.ml3spark.environments;

import io.ml3spark.control.Environment;
import io.ml3spark.control.reacher.TwoLinkArm;
import io.ml3spark.control.reacher.ReacherKinematics;

import java.util.List;

/**
 * ReacherGoal: the 2-link arm; a fingertip target becomes a joint goal by inverse kinematics, elbow-down
 * ({@code q2 >= 0}: the branch of the reference's goals), unless the config gives the goal ({@link Targets}).
 */
public record ReacherGoalEnvironment(TwoLinkArm arm) implements GoalEnvironment {
    public static final String NAME = "reacher";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Environment simulator() {
        return arm;
    }

    @Override
    public double dt() {
        return arm.dt();
    }

    @Override
    public List<String> stateNames() {
        return List.of("q1", "q2", "dq1", "dq2");
    }

    @Override
    public List<String> actionNames() {
        return List.of("tau1", "tau2");
    }

    @Override
    public double actionLimit() {
        return arm.torqueLimit();
    }

    @Override
    public double[] goalOf(double[] target) {
        double[] q = ReacherKinematics.inverse(arm, target[0], target[1], true);
        if (Math.abs(q[0]) > arm.jointLimit() || Math.abs(q[1]) > arm.jointLimit()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "fingertip target (%s, %s) needs joint angles (%.3f, %.3f), outside the range [-%s, %s]",
                    target[0], target[1], q[0], q[1], arm.jointLimit(), arm.jointLimit()));
        }
        return q;
    }

    @Override
    public boolean goalsInJointSpace() {
        return true;
    }

    @Override
    public void checkGoal(double[] goal) {
        GoalEnvironment.super.checkGoal(goal);
        if (Math.abs(goal[0]) > arm.jointLimit() || Math.abs(goal[1]) > arm.jointLimit()) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "joint goal (%s, %s) is outside the joint range [-%s, %s]", goal[0], goal[1], arm.jointLimit(),
                    arm.jointLimit()));
        }
    }

    @Override
    public double[] effector(double[] q) {
        return ReacherKinematics.fingertip(arm, q[0], q[1]);
    }

    /** {@code environment = reacher}: the arm of the section's {@code arm} keys ({@link ArmSettings}). */
    public static final class Type extends NamedGoalEnvironmentType {
        public Type() {
            super(NAME, section -> new ReacherGoalEnvironment(ArmSettings.arm(section)));
        }
    }
}
