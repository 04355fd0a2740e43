package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;

/** An environment that can say which action gives a wanted acceleration (computed-torque control). */
public interface InverseDynamics {
    /**
     * The action {@code [B, 1, A]} under which the velocities of {@code state} {@code [B, 1, S]}
     * change at {@code acceleration} {@code [B, 1, S / 2]}, before any action limit.
     */
    Tensor actionFor(Tensor state, Tensor acceleration);
}
