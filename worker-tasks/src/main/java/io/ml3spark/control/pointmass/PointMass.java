package io.ml3spark.control.pointmass;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;

import java.util.List;

/**
 * PointmassGoal's point mass in the plane (docs/method.md), batched over a leading task
 * dimension: a state is {@code [B, 1, 4]} {@code (x, y, vx, vy)}, an action {@code [B, 1, 2]}
 * a force, clipped to [-maxForce, maxForce] per axis (no gradient where clipped). Semi-implicit
 * Euler: {@code v' = v + dt (a - damping v) / mass}, {@code p' = p + dt v'}.
 */
public record PointMass(double mass, double damping, double maxForce, double dt) implements Environment {
    /** Mass 1, linear damping 0.1, forces in [-1, 1]^2, dt = 0.05. */
    public static final PointMass EXTRAS = new PointMass(1.0, 0.1, 1.0, 0.05);

    public PointMass {
        if (!(mass > 0 && damping >= 0 && maxForce > 0 && dt > 0)) {
            throw new IllegalArgumentException("point mass: mass, force limit and dt must be positive, damping"
                    + " non-negative");
        }
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return policyOutput.clamp(-maxForce, maxForce);
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        Tensor p = state.slice(-1, 0, 2);
        Tensor v = state.slice(-1, 2, 4);
        Tensor vNext = v.add(boundAction(action).sub(v.mul(damping)).mul(dt / mass));
        return Tensor.concat(List.of(p.add(vNext.mul(dt)), vNext), -1);
    }
}
