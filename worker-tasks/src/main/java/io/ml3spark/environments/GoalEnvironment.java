package io.ml3spark.environments;

import io.ml3spark.control.Environment;

import java.io.Serializable;
import java.util.List;

/**
 * A real simulator of a goal-reaching task family, with what the experiment needs to know of
 * it: its state's positions and velocities, how a target in the plane becomes a goal in
 * position coordinates (the reacher's inverse kinematics), and where a state puts the
 * effector in the plane (the reacher's fingertip).
 */
public interface GoalEnvironment extends Serializable {
    /** The config name, its {@link GoalEnvironmentType}'s. */
    String name();

    Environment simulator();

    /** The simulator's time step: what a learned dynamics model integrates its predicted velocities with. */
    double dt();

    /** The state's components by name, positions first, then as many velocities. */
    List<String> stateNames();

    List<String> actionNames();

    /** Each action component lies in [-actionLimit, actionLimit]. */
    double actionLimit();

    default int positions() {
        return stateNames().size() / 2;
    }

    /** The goal, in position coordinates, of a target point in the plane; an unreachable target fails saying why. */
    double[] goalOf(double[] target);

    /**
     * Whether a goal is in other coordinates than the effector's point (the reacher's joint angles): the
     * meta-test then reports the final distance to the goal beside the effector's to the target.
     */
    default boolean goalsInJointSpace() {
        return false;
    }

    /** Fails saying why if {@code goal} (position coordinates) is not one the environment can hold. */
    default void checkGoal(double[] goal) {
        for (double q : goal) {
            if (!Double.isFinite(q)) {
                throw new IllegalArgumentException("a goal's coordinates must be finite, got " + java.util.Arrays.toString(goal));
            }
        }
    }

    /** The effector's point in the plane at positions {@code q}. */
    double[] effector(double[] q);
}
