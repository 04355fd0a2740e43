package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;

/**
 * An environment whose states are data, not functions of the policy: each step's result is
 * detached, as a simulator that is not differentiated (the reference's PyBullet) gives it. A
 * loss of such a rollout reaches the policy through the actions it chose only.
 */
public record Undifferentiated(Environment env) implements Environment {
    @Override
    public Tensor boundAction(Tensor policyOutput) {
        return env.boundAction(policyOutput);
    }

    @Override
    public Tensor step(Tensor state, Tensor action) {
        return env.step(state, action).detach();
    }
}
