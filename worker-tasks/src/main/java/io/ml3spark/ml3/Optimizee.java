package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.backend.Backend;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/** A functional model f_theta trained in the inner loop; theta carries a leading task dimension. */
public interface Optimizee extends Serializable {
    /** Fresh parameters for {@code tasks} tasks, as leaves that require gradients. */
    List<Tensor> initialize(Backend backend, SplittableRandom rng, int tasks);

    /** Predictions {@code [B, N, out]} for inputs {@code [B, N, in]}. */
    Tensor predict(List<Tensor> theta, Tensor inputs);
}
