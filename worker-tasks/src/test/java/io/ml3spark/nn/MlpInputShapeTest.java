package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An MLP refuses input of the wrong width with a ShapeException that names the expected and the given shape. */
class MlpInputShapeTest {
    private static final Mlp NET = new Mlp(new int[] {3, 4, 1}, Activation.RELU, Activation.IDENTITY, true);

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void wrongInputWidthNamesBothShapes(Backend backend) {
        List<Tensor> params = NET.initialize(backend, Init.XAVIER_UNIFORM, 0.0, new SplittableRandom(1));
        Tensor x = Tensor.zeros(backend, 5, 2);
        ShapeException e = assertThrows(ShapeException.class, () -> NET.forward(params, x));
        String message = e.getMessage();
        assertTrue(message.startsWith("mlp:"), message);
        assertTrue(message.contains("[..., rows, 3]"), message);
        assertTrue(message.contains("[5, 2]"), message);
    }

    @ParameterizedTest
    @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")
    void rightInputWidthRuns(Backend backend) {
        List<Tensor> params = NET.initialize(backend, Init.XAVIER_UNIFORM, 0.0, new SplittableRandom(1));
        assertEquals(Shape.of(5, 1), NET.forward(params, Tensor.zeros(backend, 5, 3)).shape());
    }
}
