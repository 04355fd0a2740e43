package io.ml3spark.driver.testenvironment;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.Environment;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.NamedGoalEnvironmentType;

import java.util.List;

/**
 * An environment that lives only in test sources: a unit mass on a rail along x, pushed by a
 * force clipped to [-maxForce, maxForce]. A target (x, 0) is the goal x. Its own keys are the
 * section's {@code rail { dt, max-force }}.
 */
public record RailEnvironment(double dt, double maxForce) implements GoalEnvironment, Environment {
    static final String NAME = "test-rail";
    static final double LENGTH = 2;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Environment simulator() {
        return this;
    }

    @Override
    public List<String> stateNames() {
        return List.of("x", "vx");
    }

    @Override
    public List<String> actionNames() {
        return List.of("f");
    }

    @Override
    public double actionLimit() {
        return maxForce;
    }

    @Override
    public double[] goalOf(double[] target) {
        if (target[1] != 0 || !(Math.abs(target[0]) <= LENGTH)) {
            throw new IllegalArgumentException("a target on the rail is (x, 0) with |x| <= " + LENGTH + ", got ("
                    + target[0] + ", " + target[1] + ")");
        }
        return new double[] {target[0]};
    }

    @Override
    public double[] effector(double[] q) {
        return new double[] {q[0], 0};
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return policyOutput.clamp(-maxForce, maxForce);
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        Tensor v = state.slice(-1, 1, 2).add(boundAction(action).mul(dt));
        return Tensor.concat(List.of(state.slice(-1, 0, 1).add(v.mul(dt)), v), -1);
    }

    /** The rail of the section's {@code rail} keys. */
    static RailEnvironment fromSettings(Settings section) {
        Settings rail = section.section("rail");
        return new RailEnvironment(rail.getPositiveDouble("dt"), rail.getPositiveDouble("max-force"));
    }

    /** {@code environment = test-rail}, with the section's {@code rail} keys. */
    public static final class Type extends NamedGoalEnvironmentType {
        public Type() {
            super(NAME, RailEnvironment::fromSettings);
        }
    }
}
