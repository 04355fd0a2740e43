package io.ml3spark.nn;

import io.ml3spark.tensor.Shape;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ParameterLayoutTest {
    private final ParameterLayout layout = new ParameterLayout(
            new Mlp(new int[] {2, 3, 1}, Activation.RELU, Activation.IDENTITY, true).parameters());

    @Test
    void anMlpsParametersAreNamedAsPyTorchsSequentialLayersAreInOrder() {
        assertEquals(List.of("layers.0.weight", "layers.0.bias", "layers.1.weight", "layers.1.bias"),
                layout.parameters().stream().map(Parameter::name).toList());
        assertEquals(Shape.of(2, 3), layout.parameters().get(0).shape());
        assertEquals(List.of("layers.0.weight", "layers.1.weight"),
                new Mlp(new int[] {2, 3, 1}, Activation.RELU, Activation.IDENTITY, false).parameters().stream()
                        .map(Parameter::name).toList());
    }

    @Test
    void splitAndJoinAreInverse() {
        double[] flat = new double[layout.size()];
        for (int i = 0; i < flat.length; i++) {
            flat[i] = i;
        }
        Map<String, double[]> named = layout.split(flat);
        assertArrayEquals(new double[] {6, 7, 8}, named.get("layers.0.bias"), 0.0);
        assertArrayEquals(new double[] {12}, named.get("layers.1.bias"), 0.0);
        assertArrayEquals(flat, layout.join(p -> named.get(p.name())), 0.0);
    }

    @Test
    void aValueOfTheWrongSizeOrARepeatedNameIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> layout.join(p -> new double[1]));
        assertEquals("parameter 'layers.0.weight' has 1 values, its shape " + Shape.of(2, 3) + " needs 6", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ParameterLayout(List.of(
                new Parameter("w", Shape.of(1)), new Parameter("w", Shape.of(2)))));
        assertThrows(IllegalArgumentException.class, () -> layout.split(new double[3]));
    }
}
