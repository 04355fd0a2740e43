package io.ml3spark.ml3;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** A classifier as an optimizee: the log-softmax of another optimizee's class scores, {@code [B, N, classes]}. */
public record SoftmaxClassifier(Optimizee scores) implements Optimizee {
    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        return scores.initialize(backend, seeds);
    }

    @Override
    public Tensor predict(List<Tensor> theta, Tensor inputs) {
        return Functional.logSoftmax(scores.predict(theta, inputs), -1);
    }
}
