package io.ml3spark.experiments.digits;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.LeNet;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * A digit classifier as an optimizee: a network's class scores turned into
 * log-probabilities {@code [T, N, classes]}. With {@code dropoutSeeds} (one per task) the
 * network trains with dropout masks drawn from them; with null it runs as at evaluation.
 */
public record DigitClassifier(Network network, long[] dropoutSeeds) implements Optimizee {

    /** The classifier's architecture: LeNet or an MLP, with PyTorch's default initialisation. */
    public interface Network extends Serializable {
        List<Tensor> initialize(Backend backend, long[] seeds);

        Tensor logits(List<Tensor> theta, Tensor images, long[] dropoutSeeds);

        int classes();
    }

    public record LeNetNetwork(LeNet net) implements Network {
        @Override
        public List<Tensor> initialize(Backend backend, long[] seeds) {
            return net.initializeBatch(backend, seeds);
        }

        @Override
        public Tensor logits(List<Tensor> theta, Tensor images, long[] dropoutSeeds) {
            return net.forward(theta, images, dropoutSeeds);
        }

        @Override
        public int classes() {
            return net.classes();
        }
    }

    /** An MLP on the flattened image; it has no dropout. */
    public record MlpNetwork(Mlp net) implements Network {
        @Override
        public List<Tensor> initialize(Backend backend, long[] seeds) {
            return net.initializeBatch(backend, Init.TORCH_DEFAULT, 0.0, seeds);
        }

        @Override
        public Tensor logits(List<Tensor> theta, Tensor images, long[] dropoutSeeds) {
            return net.forward(theta, images);
        }

        @Override
        public int classes() {
            return net.outputSize();
        }
    }

    /** The classifier at evaluation: no dropout. */
    public static DigitClassifier evaluating(Network network) {
        return new DigitClassifier(network, null);
    }

    /** The same classifier training with dropout masks from {@code seeds}, one per task. */
    public DigitClassifier training(long[] seeds) {
        return new DigitClassifier(network, seeds);
    }

    @Override
    public List<Tensor> initialize(Backend backend, long[] seeds) {
        return network.initialize(backend, seeds);
    }

    @Override
    public Tensor predict(List<Tensor> theta, Tensor inputs) {
        return Functional.logSoftmax(network.logits(theta, inputs, dropoutSeeds), -1);
    }
}
