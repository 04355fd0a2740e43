package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * A learned model as a differentiable {@link Environment} (the reference's reacher model, docs/method.md): the
 * members' mean velocity changes, averaged, update the velocities; positions integrate them
 * with {@code dt}; positions are clipped to [-positionLimit, positionLimit], velocities to
 * [-velocityLimit, velocityLimit], and actions to [-actionLimit, actionLimit] (no gradient
 * where clipped). A state is {@code [B, 1, P + V]} (positions, then as many velocities).
 * The members' parameters are constants of the rollout, made into tensors once per backend.
 */
public final class DynamicsEnsemble implements Environment {
    private static final long serialVersionUID = 1L;

    private final ProbabilisticDynamics model;
    private final List<double[]> members;
    private final double dt;
    private final double positionLimit;
    private final double velocityLimit;
    private final double actionLimit;
    private transient volatile Constants constants;

    private record Constants(Backend backend, List<List<Tensor>> members) {
    }

    public DynamicsEnsemble(ProbabilisticDynamics model, List<double[]> members, double dt, double positionLimit,
                            double velocityLimit, double actionLimit) {
        if (members.isEmpty()) {
            throw new IllegalArgumentException("a dynamics ensemble needs at least one member");
        }
        this.model = model;
        this.members = List.copyOf(members);
        this.dt = dt;
        this.positionLimit = positionLimit;
        this.velocityLimit = velocityLimit;
        this.actionLimit = actionLimit;
    }

    public ProbabilisticDynamics model() {
        return model;
    }

    public List<double[]> members() {
        return members;
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
        for (List<Tensor> params : parametersOn(state.backend())) {
            Tensor mean = model.predict(params, stateAction)[0];
            change = change == null ? mean : change.add(mean);
        }
        Tensor velocity = state.slice(-1, s - v, s).add(change.div(members.size())).clamp(-velocityLimit, velocityLimit);
        Tensor position = state.slice(-1, 0, s - v).add(velocity.mul(dt)).clamp(-positionLimit, positionLimit);
        return Tensor.concat(List.of(position, velocity), -1);
    }

    private List<List<Tensor>> parametersOn(Backend backend) {
        Constants c = constants;
        if (c == null || c.backend() != backend) {
            List<List<Tensor>> all = new ArrayList<>();
            for (double[] member : members) {
                List<Tensor> params = new ArrayList<>();
                for (Tensor p : model.layout().variables(backend, member)) {
                    params.add(p.detach());
                }
                all.add(params);
            }
            c = new Constants(backend, all);
            constants = c;
        }
        return c.members();
    }
}
