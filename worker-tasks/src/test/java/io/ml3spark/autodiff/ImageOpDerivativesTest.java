package io.ml3spark.autodiff;

import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.ml3spark.autodiff.DerivativeCase.ANY;
import static io.ml3spark.autodiff.DerivativeCase.in;
import static io.ml3spark.autodiff.DerivativeCase.of;
import static io.ml3spark.autodiff.DerivativeCase.readout;

/**
 * First and second derivatives of convolution, max-pooling and dropout match central
 * finite differences in float64 on every backend, alone and composed as in a small LeNet
 * (where second order passes through pooling masks, relu and dropout into both convolutions).
 */
class ImageOpDerivativesTest extends FiniteDifferenceSuite {
    private static final long[] SEEDS = {11, 12};
    private static final long[] ONE_SEED = {13};

    static Stream<Arguments> cases() {
        List<DerivativeCase> cases = new ArrayList<>();
        cases.add(of("patches 2x3 of [2, 2, 3, 4]", xs -> readout(Convolution.patches(xs.get(0), 2, 3)),
                in(ANY, 2, 2, 3, 4)));
        cases.add(of("conv2d per-task kernel [2, 2, 2, 2, 2] on [2, 1, 2, 3, 4]",
                xs -> readout(Convolution.conv2d(xs.get(0), xs.get(1))), in(ANY, 2, 1, 2, 3, 4), in(ANY, 2, 2, 2, 2, 2)));
        cases.add(of("conv2d shared kernel [2, 1, 2, 2] on [1, 2, 1, 3, 3]",
                xs -> readout(Convolution.conv2d(xs.get(0), xs.get(1))), in(ANY, 1, 2, 1, 3, 3), in(ANY, 2, 1, 2, 2)));
        cases.add(of("conv2d of its own output", xs -> {
            Tensor h = Convolution.conv2d(xs.get(0), xs.get(1)).tanh();
            return readout(Convolution.conv2d(h, xs.get(2)));
        }, in(ANY, 1, 1, 1, 4, 4), in(ANY, 1, 2, 1, 2, 2), in(ANY, 1, 1, 2, 2, 2)));
        cases.add(of("maxPool2d 2 of [2, 2, 4, 4]", xs -> readout(MaxPooling.maxPool2d(xs.get(0), 2)), in(ANY, 2, 2, 4, 4)));
        cases.add(of("maxPool2d 3 of [1, 2, 6, 3]", xs -> readout(MaxPooling.maxPool2d(xs.get(0), 3)),
                in(ANY, 1, 2, 6, 3)));
        cases.add(of("dropout 0.5 of [2, 3, 4]", xs -> readout(Dropout.apply(xs.get(0), 0.5, SEEDS)), in(ANY, 2, 3, 4)));
        cases.add(of("small LeNet: conv, pool, tanh, conv, dropout, pool, dense", xs -> {
            Tensor h = MaxPooling.maxPool2d(Convolution.conv2d(xs.get(0), xs.get(1)), 2).tanh();
            h = Convolution.conv2d(h, xs.get(2));
            h = MaxPooling.maxPool2d(Dropout.apply(h, 0.3, ONE_SEED), 2).tanh();
            Tensor logits = h.reshape(1, 1, 2).matmul(xs.get(3));
            return Functional.logSoftmax(logits, -1).sum().neg();
        }, in(ANY, 1, 1, 1, 6, 6), in(ANY, 1, 1, 1, 3, 3), in(ANY, 1, 2, 1, 1, 1), in(ANY, 1, 2, 2)));
        return DerivativeCase.onEveryBackend(cases);
    }
}
