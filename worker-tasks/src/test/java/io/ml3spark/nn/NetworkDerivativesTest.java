package io.ml3spark.nn;

import io.ml3spark.autodiff.DerivativeCase;
import io.ml3spark.autodiff.FiniteDifferenceSuite;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Shape;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static io.ml3spark.autodiff.DerivativeCase.ANY;
import static io.ml3spark.autodiff.DerivativeCase.AWAY_FROM_ZERO;
import static io.ml3spark.autodiff.DerivativeCase.in;
import static io.ml3spark.autodiff.DerivativeCase.of;
import static io.ml3spark.autodiff.DerivativeCase.readout;

/**
 * First and second derivatives of the task losses and of an MLP's output, with respect to
 * its parameters and its input, match central finite differences on every backend.
 */
class NetworkDerivativesTest extends FiniteDifferenceSuite {

    static Stream<Arguments> cases() {
        List<DerivativeCase> cases = new ArrayList<>();
        cases.add(of("mse", xs -> Losses.mse(xs.get(0), xs.get(1)), in(ANY, 5, 1), in(ANY, 5, 1)));
        cases.add(of("mse task batch", xs -> Losses.mse(xs.get(0), xs.get(1)), in(ANY, 2, 5, 1), in(ANY, 2, 5, 1)));
        cases.add(of("nll", xs -> Losses.nll(xs.get(0), oneHot(xs.get(0))), in(ANY, 4, 3)));
        cases.add(of("crossEntropy", xs -> Losses.crossEntropy(xs.get(0), oneHot(xs.get(0))), in(ANY, 4, 3)));
        cases.add(of("crossEntropy task batch", xs -> Losses.crossEntropy(xs.get(0), oneHot(xs.get(0))),
                in(ANY, 2, 4, 3)));
        cases.add(of("binaryCrossEntropyWithLogits", xs -> Losses.binaryCrossEntropyWithLogits(xs.get(0), xs.get(1)),
                in(AWAY_FROM_ZERO, 4, 2), in(new DerivativeCase.Domain(0, 1), 4, 2)));

        mlp(cases, new Mlp(new int[] {3, 4, 2}, Activation.RELU, Activation.IDENTITY, true));
        mlp(cases, new Mlp(new int[] {3, 4, 4, 2}, Activation.TANH, Activation.SOFTPLUS, true));
        mlp(cases, new Mlp(new int[] {3, 4, 1}, Activation.ELU, Activation.SIGMOID, false));
        mlp(cases, new Mlp(new int[] {2, 3, 3, 1}, Activation.RELU, Activation.SOFTPLUS, false));
        mlp(cases, new Mlp(new int[] {2, 3, 1}, Activation.SOFTPLUS, Activation.TANH, true), 2);
        return DerivativeCase.onEveryBackend(cases);
    }

    /** One-hot targets cycling through the classes, for logits shaped like {@code like}. */
    private static Tensor oneHot(Tensor like) {
        Shape s = like.shape();
        int classes = s.dim(-1);
        double[] v = new double[s.size()];
        for (int row = 0; row < s.size() / classes; row++) {
            v[row * classes + row % classes] = 1.0;
        }
        return Tensor.constant(like.backend().fromArray(s, v));
    }

    /**
     * The network's output on 4 rows of input, as a function of the input (first) and the
     * parameters (the rest), optionally with a leading task-batch dimension on everything.
     */
    private static void mlp(List<DerivativeCase> cases, Mlp net, int... batch) {
        List<DerivativeCase.Input> inputs = new ArrayList<>();
        inputs.add(in(ANY, IntStream.concat(Arrays.stream(batch), IntStream.of(4, net.inputSize())).toArray()));
        for (Shape s : net.parameterShapes(batch)) {
            inputs.add(new DerivativeCase.Input(s, ANY));
        }
        String name = net + (batch.length > 0 ? " task batch " + Arrays.toString(batch) : "");
        cases.add(new DerivativeCase(name, inputs,
                xs -> readout(net.forward(xs.subList(1, xs.size()), xs.get(0)))));
    }
}
