package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/** A functional model f_theta trained in the inner loop; theta carries a leading task dimension. */
public interface Optimizee extends Serializable {
    /** Fresh parameters, one task per seed stacked along the leading dimension, as leaves. */
    List<Tensor> initialize(Backend backend, long[] seeds);

    /** Predictions {@code [B, N, out]} for inputs {@code [B, N, in]}. */
    Tensor predict(List<Tensor> theta, Tensor inputs);
}
