package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** An MLP optimizee with one set of weights per task, initialised with {@code init} (biases {@code biasValue} unless the init draws them). */
public record MlpOptimizee(Mlp network, Init init, double biasValue) implements Optimizee {
    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        return network.initializeBatch(backend, init, biasValue, seeds);
    }

    @Override
    public Tensor predict(List<Tensor> theta, Tensor inputs) {
        return network.forward(theta, inputs);
    }
}
