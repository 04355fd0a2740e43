package io.ml3spark.tensor.backend;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.TensorData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import static io.ml3spark.tensor.backend.Agreement.assertAgree;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random compositions of autodiff ops ({@link RandomGraph}) evaluated on the JVM and the ND4J
 * backends: the value, the gradient (recorded with createGraph) and a second-order gradient,
 * the gradient of a random projection of the first one, must agree.
 */
class Nd4jRandomGraphTest {
    private static final int STEPS = 12;

    static LongStream seeds() {
        return LongStream.range(0, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void valueAndFirstAndSecondOrderGradientsAgree(long seed) {
        Evaluation jvm = evaluate(JvmBackend.INSTANCE, seed);
        Evaluation nd4j = evaluate(Nd4jBackend.INSTANCE, seed);
        String where = "seed " + seed + ", graph:\n" + jvm.graph() + "\n";
        assertEquals(jvm.graph(), nd4j.graph(), "the same seed must build the same graph");
        assertTrue(Double.isFinite(jvm.value().item()), where + "value is " + jvm.value().item());
        assertAgree(where + "value", jvm.value(), nd4j.value());
        for (int i = 0; i < jvm.grads().size(); i++) {
            assertAgree(where + "d/dx" + i, jvm.grads().get(i), nd4j.grads().get(i));
            assertAgree(where + "second order d/dx" + i, jvm.secondOrder().get(i), nd4j.secondOrder().get(i));
        }
    }

    private record Evaluation(String graph, TensorData value, List<TensorData> grads, List<TensorData> secondOrder) {
    }

    private static Evaluation evaluate(Backend backend, long seed) {
        RandomGraph g = new RandomGraph(backend, seed, STEPS);
        // A random graph need not use every input: those get zeros.
        List<Tensor> grads = GradCheck.orZeros(Autograd.grad(List.of(g.output()), null, g.inputs(), true, true), g.inputs());
        SplittableRandom rng = new SplittableRandom(~seed);
        Tensor projection = Tensor.scalar(backend, 0.0);
        for (Tensor grad : grads) {
            double[] v = rng.doubles(grad.shape().size(), -1, 1).toArray();
            projection = projection.add(grad.mul(Tensor.constant(backend.fromArray(grad.shape(), v))).sum());
        }
        List<Tensor> second = projection.requiresGrad()
                ? GradCheck.orZeros(Autograd.grad(List.of(projection), null, g.inputs(), false, true), g.inputs())
                : GradCheck.orZeros(java.util.Collections.nCopies(g.inputs().size(), null), g.inputs());
        return new Evaluation(g.describe(), g.output().data(), data(grads), data(second));
    }

    private static List<TensorData> data(List<Tensor> tensors) {
        List<TensorData> out = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            out.add(t.data());
        }
        return out;
    }
}
