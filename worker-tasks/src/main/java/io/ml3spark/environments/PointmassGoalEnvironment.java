package io.ml3spark.environments;

import io.ml3spark.control.Environment;
import io.ml3spark.control.pointmass.PointMass;

import java.util.List;

/** PointmassGoal: the point mass in the plane; a target is its own goal. */
public record PointmassGoalEnvironment(PointMass mass) implements GoalEnvironment {
    public static final String NAME = "pointmass";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Environment simulator() {
        return mass;
    }

    @Override
    public double dt() {
        return mass.dt();
    }

    @Override
    public List<String> stateNames() {
        return List.of("x", "y", "vx", "vy");
    }

    @Override
    public List<String> actionNames() {
        return List.of("fx", "fy");
    }

    @Override
    public double actionLimit() {
        return mass.maxForce();
    }

    @Override
    public double[] goalOf(double[] target) {
        return target.clone();
    }

    @Override
    public double[] effector(double[] q) {
        return q.clone();
    }

    /** {@code environment = pointmass}: the point mass of docs/method.md ({@link PointMass#EXTRAS}); it has no keys of its own. */
    public static final class Type extends NamedGoalEnvironmentType {
        public Type() {
            super(NAME, section -> new PointmassGoalEnvironment(PointMass.EXTRAS));
        }
    }
}
