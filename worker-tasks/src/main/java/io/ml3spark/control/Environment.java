package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;

import java.io.Serializable;

/**
 * A differentiable environment, batched over a leading task dimension: a state is
 * {@code [B, 1, S]}, an action {@code [B, 1, A]}, and a step is tensor ops, so a rollout can be
 * differentiated with respect to the policy's parameters (MountainCar; next, a point mass or
 * a reacher, or a learned dynamics model).
 */
public interface Environment extends Serializable {
    /** The action the environment applies for a policy's output (bounded, e.g. clipped to its limits). */
    Tensor boundAction(Tensor policyOutput);

    /** The state after {@code state} under {@code action}. */
    Tensor step(Tensor state, Tensor action);
}
