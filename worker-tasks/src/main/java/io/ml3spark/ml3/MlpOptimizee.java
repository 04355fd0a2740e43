package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.Backend;

import java.util.List;
import java.util.SplittableRandom;

/** An MLP optimizee with one set of weights per task. */
public record MlpOptimizee(Mlp network, Init init, double biasValue) implements Optimizee {
    @Override
    public List<Tensor> initialize(Backend backend, SplittableRandom rng, int tasks) {
        return network.initialize(backend, rng, init, biasValue, tasks);
    }

    @Override
    public Tensor predict(List<Tensor> theta, Tensor inputs) {
        return network.forward(theta, inputs);
    }
}
