package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;

import java.util.ArrayList;
import java.util.List;

/**
 * A learned model as a differentiable {@link Environment} (ML3-SPEC's reacher model): the
 * members' mean velocity changes, averaged, update the velocities; positions integrate them
 * with {@code dt}; positions are clipped to [-positionLimit, positionLimit], velocities to
 * [-velocityLimit, velocityLimit], and actions to [-actionLimit, actionLimit] (no gradient
 * where clipped). A state is {@code [B, 1, P + V]} (positions, then as many velocities).
 */
public record DynamicsEnsemble(ProbabilisticDynamics model, List<double[]> members, double dt, double positionLimit,
                               double velocityLimit, double actionLimit) implements Environment {
    public DynamicsEnsemble {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a dynamics ensemble needs at least one member");
        }
        members = List.copyOf(members);
    }

    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return policyOutput.clamp(-actionLimit, actionLimit);
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        int v = model.velocities();
        int s = state.shape().dim(-1);
        Tensor stateAction = Tensor.concat(List.of(state, boundAction(action)), -1);
        Tensor change = null;
        for (double[] member : members) {
            List<Tensor> params = new ArrayList<>();
            for (Tensor p : model.layout().variables(state.backend(), member)) {
                params.add(p.detach());
            }
            Tensor mean = model.predict(params, stateAction)[0];
            change = change == null ? mean : change.add(mean);
        }
        Tensor velocity = state.slice(-1, s - v, s).add(change.div(members.size())).clamp(-velocityLimit, velocityLimit);
        Tensor position = state.slice(-1, 0, s - v).add(velocity.mul(dt)).clamp(-positionLimit, positionLimit);
        return Tensor.concat(List.of(position, velocity), -1);
    }
}
