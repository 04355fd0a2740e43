package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.ReacherGoalEnvironment;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.control.reacher.ReacherKinematics;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TargetsTest {
    private static final GoalEnvironment REACHER = new ReacherGoalEnvironment(Reacher.REFERENCE);
    private static final double[] TEST_TARGET = {0.05534078, 0.150863741};
    /** The reference's goal for it: its inverse kinematics did not converge. */
    private static final double[] TEST_GOAL = {0.8775577, 0.6768863};

    @Test
    void aListedTargetsGivenGoalIsUsedAndDrawnTargetsKeepTheInverseKinematics() {
        Targets targets = new Targets(List.of(TEST_TARGET), List.of(TEST_GOAL), new TargetRegion(-0.1, 0.15, 0.1, 0.2), 3);
        List<double[]> all = targets.testTargets(REACHER);
        assertArrayEquals(TEST_GOAL, targets.goalOf(REACHER, all.get(0)), 0.0);
        double[] tip = ReacherKinematics.fingertip(Reacher.REFERENCE, TEST_GOAL[0], TEST_GOAL[1]);
        assertEquals(0.0375, Math.hypot(tip[0] - TEST_TARGET[0], tip[1] - TEST_TARGET[1]), 5e-5);
        for (double[] drawn : all.subList(1, 4)) {
            double[] goal = targets.goalOf(REACHER, drawn);
            assertArrayEquals(REACHER.goalOf(drawn), goal, 0.0);
            assertTrue(goal[1] >= 0, "elbow-down");
            assertArrayEquals(drawn, ReacherKinematics.fingertip(Reacher.REFERENCE, goal[0], goal[1]), 1e-12);
        }
        double[] flat = targets.goalsOf(REACHER, all.subList(0, 2));
        assertArrayEquals(TEST_GOAL, java.util.Arrays.copyOfRange(flat, 0, 2), 0.0);
        assertEquals(4, flat.length);
    }

    @Test
    void goalsAreOnePerListedTargetAndWithinTheJointRange() {
        assertThrows(IllegalArgumentException.class,
                () -> new Targets(List.of(TEST_TARGET, TEST_TARGET), List.of(TEST_GOAL), null, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> REACHER.checkGoal(new double[] {3.2, 0.5}));
        assertTrue(e.getMessage().contains("outside the joint range"), e.getMessage());
    }
}
