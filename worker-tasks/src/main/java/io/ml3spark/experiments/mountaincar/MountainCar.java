package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;

import java.util.List;

/**
 * The differentiable MountainCar of the ML3 paper (Fig. 5 right), batched over a leading
 * task dimension: a state is {@code [B, 1, 2]} (position, velocity), an action {@code [B, 1, 1]}.
 *
 * <p>One step, in the reference's order: the action is clipped to [-maxAction, maxAction];
 * {@code v' = v + (g m cos(3 p) + a / m - k v) dt}; {@code p' = p + v' dt} (with the unclipped
 * v'); then v' is clipped to [-maxSpeed, maxSpeed], p' to [minPosition, maxPosition], and at
 * the left wall a negative velocity becomes 0.
 *
 * <p>Gradients follow the reference implementation: the action clip is {@code torch.clamp}
 * (zero gradient where clipped), because the policy's action is clamped as a tensor op
 * (other bounds are options: see {@link ActionBound} and {@link #actionGradientLeak});
 * the velocity and position clips and the wall reset overwrite {@code tensor.data} there,
 * which changes the value but leaves the graph of the unclipped expression in place, so
 * their gradient is straight-through (the identity).
 */
public record MountainCar(double mass, double gravity, double friction, double dt, double maxAction,
                          double maxSpeed, double minPosition, double maxPosition, ActionBound actionBound,
                          double actionGradientLeak)
        implements Environment {
    public MountainCar {
        if (!(actionGradientLeak >= 0 && actionGradientLeak <= 1)) {
            throw new IllegalArgumentException("action gradient leak must be in [0, 1], got " + actionGradientLeak);
        }
    }

    /** How a policy output is bounded to [-maxAction, maxAction]. */
    public enum ActionBound {
        /**
         * Clipped; where clipped, the gradient is {@link #actionGradientLeak} times the
         * identity's: 0 is {@code torch.clamp} (the reference), 1 the straight-through estimator.
         */
        CLAMP,
        /** {@code maxAction tanh(u / maxAction)}: the same bound and slope 1 at 0, never a zero gradient. */
        TANH
    }

    /**
     * The reference's constants (docs/method.md) (m = 0.2, g = -9.8, k = 0.3, dt = 0.1, |a| <= 0.25, |v| <= 1.5,
     * p in [-1.2, 0.5]) with the reference's clamp of the action (no gradient where clipped).
     */
    public static final MountainCar REFERENCE = new MountainCar(0.2, -9.8, 0.3, 0.1, 0.25, 1.5, -1.2, 0.5,
            ActionBound.CLAMP, 0.0);

    public MountainCar withActionBound(ActionBound bound) {
        return new MountainCar(mass, gravity, friction, dt, maxAction, maxSpeed, minPosition, maxPosition, bound,
                actionGradientLeak);
    }

    /** The same car whose clamped actions pass {@code leak} of the gradient (see {@link ActionBound#CLAMP}). */
    public MountainCar withActionGradientLeak(double leak) {
        return new MountainCar(mass, gravity, friction, dt, maxAction, maxSpeed, minPosition, maxPosition, actionBound,
                leak);
    }

    /** The next state of {@code state} {@code [B, 1, 2]} under {@code action} {@code [B, 1, 1]}. */
    @Override
    public Tensor step(Tensor state, Tensor action) {
        Tensor p = state.slice(-1, 0, 1);
        Tensor v = state.slice(-1, 1, 2);
        Tensor a = clipAction(action);
        Tensor force = p.mul(3.0).cos().mul(gravity * mass).add(a.div(mass)).sub(v.mul(friction));
        Tensor vNext = v.add(force.mul(dt));
        Tensor pNext = p.add(vNext.mul(dt));
        Tensor vClipped = vNext.clampStraightThrough(-maxSpeed, maxSpeed);
        Tensor pClipped = pNext.clampStraightThrough(minPosition, maxPosition);
        Tensor stoppedAtWall = notAbove(pClipped, minPosition).mul(Tensor.scalar(v.backend(), 0.0).gt(vClipped));
        Tensor vFinal = Tensor.where(stoppedAtWall, vClipped.sub(vClipped.detach()), vClipped);
        return Tensor.concat(List.of(pClipped, vFinal), -1);
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return clipAction(policyOutput);
    }

    /** The action the car applies for a policy output: bounded to [-maxAction, maxAction] by {@link #actionBound}. */
    public Tensor clipAction(Tensor action) {
        return switch (actionBound) {
            case CLAMP -> leakyClamp(action);
            case TANH -> action.div(maxAction).tanh().mul(maxAction);
        };
    }

    /** clamp + leak * (straight-through clamp - clamp): the clamped value, with the gradient leaked where clipped. */
    private Tensor leakyClamp(Tensor action) {
        Tensor clamped = action.clamp(-maxAction, maxAction);
        if (actionGradientLeak == 0) {
            return clamped;
        }
        if (actionGradientLeak == 1) {
            return action.clampStraightThrough(-maxAction, maxAction);
        }
        return clamped.add(action.clampStraightThrough(-maxAction, maxAction).sub(clamped).mul(actionGradientLeak));
    }

    private static Tensor notAbove(Tensor x, double bound) {
        return Tensor.scalar(x.backend(), 1.0).sub(x.gt(bound));
    }
}
