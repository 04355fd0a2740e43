package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Losses;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The meta-gradient of a learned loss: structurally unused parts of phi are zeros; an objective without phi is an error. */
class LearnedLossGradientTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    // Identity output with biases: the output bias shifts the loss, never its gradient in theta.
    private final LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 5, 1}, Activation.TANH, Activation.IDENTITY, true),
            LossInput.PREDICTION_TARGET);
    private final MlpOptimizee optimizee = new MlpOptimizee(new Mlp(new int[] {1, 4, 1}, Activation.TANH,
            Activation.IDENTITY, true), Init.XAVIER_UNIFORM, 0.0);
    private final TaskBatch batch = new TaskBatch(Tensor.constant(JVM.fromArray(io.ml3spark.tensor.Shape.of(1, 6, 1),
            new double[] {-1, -0.5, 0, 0.5, 1, 1.5})), Tensor.constant(JVM.fromArray(io.ml3spark.tensor.Shape.of(1, 6, 1),
            new double[] {0.3, -0.2, 0.1, 0.4, -0.5, 0.2})));

    private Tensor taskLossAfterOneStep(List<Tensor> phi, boolean differentiable) {
        List<Tensor> theta = optimizee.initialize(JVM, new long[] {7});
        List<Tensor> adapted = InnerLoop.step(loss.withParameters(phi), optimizee, theta, batch, 0.1, differentiable);
        return Losses.mse(optimizee.predict(adapted, batch.inputs()), batch.targets());
    }

    @Test
    void theOutputBiasGetsZerosAndEveryOtherPartAGradient() {
        double[] values = loss.initialPhi(JVM, new SplittableRandom(3), Init.XAVIER_UNIFORM, 0.1);
        List<Tensor> phi = loss.layout().variables(JVM, values);
        double[] g = loss.gradient(taskLossAfterOneStep(phi, true), phi);
        assertEquals(values.length, g.length);
        assertEquals(0.0, g[g.length - 1], "the output bias cannot change the inner step");
        assertTrue(Arrays.stream(g, 0, g.length - 1).filter(v -> v != 0).count() > g.length / 2, Arrays.toString(g));
    }

    @Test
    void anInnerStepTakenWithoutItsGraphIsAnErrorNotAZeroMetaGradient() {
        List<Tensor> phi = loss.layout().variables(JVM, loss.initialPhi(JVM, new SplittableRandom(3), Init.XAVIER_UNIFORM, 0.1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> loss.gradient(taskLossAfterOneStep(phi, false), phi));
        assertEquals("the meta-objective does not depend on phi: were the inner steps taken without their graph"
                + " (differentiable = false)?", e.getMessage());
    }
}
