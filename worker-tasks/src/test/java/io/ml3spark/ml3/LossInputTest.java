package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LossInputTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @Test
    void featuresRoundTripThroughTheirFileForm() {
        for (LossInput in : List.of(LossInput.PREDICTION_TARGET, LossInput.PER_CLASS_PREDICTION_TARGET,
                LossInput.INPUT_PREDICTION_TARGET, LossInput.STATE_ACTION_COST,
                LossInput.predictionTarget("log_probability", "target", 3))) {
            assertEquals(in, LossInput.decode(in.encode(), in.reduction()));
        }
        assertEquals("position:input,velocity:input,action:prediction,goal_distance:target",
                LossInput.STATE_ACTION_COST.encode());
        assertEquals("sum-over-classes-mean-over-samples", LossInput.PER_CLASS_PREDICTION_TARGET.reduction());
    }

    @Test
    void filesFromBeforeNamedFeaturesMapToTheSameInputs() {
        assertEquals(LossInput.PREDICTION_TARGET, LossInput.legacy("prediction_target", 2));
        assertEquals(List.of("log_probability_0", "log_probability_1", "target_0", "target_1"),
                LossInput.legacy("prediction_target", 4).names());
        assertEquals(LossInput.STATE_ACTION_COST, LossInput.legacy("state_action_cost", 4));
        assertEquals(LossInput.PER_CLASS_PREDICTION_TARGET, LossInput.legacy("per_class_prediction_target", 2));
        assertThrows(IllegalArgumentException.class, () -> LossInput.legacy("reward", 1));
    }

    @Test
    void assembleConcatenatesTheSourcesInFeatureOrder() {
        Tensor x = Tensor.constant(B, new double[] {1, 2}, 1, 2, 1);
        Tensor yhat = Tensor.constant(B, new double[] {3, 4}, 1, 2, 1);
        Tensor y = Tensor.constant(B, new double[] {5, 6}, 1, 2, 1);
        Tensor in = LossInput.INPUT_PREDICTION_TARGET.assemble(yhat, new TaskBatch(x, y));
        assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, in.toArray(), 0.0);
        Tensor swapped = LossInput.of(LossInput.target("y"), LossInput.prediction("yhat")).assemble(yhat, new TaskBatch(x, y));
        assertArrayEquals(new double[] {5, 3, 6, 4}, swapped.toArray(), 0.0);
    }

    @Test
    void aSourceWithOtherColumnsThanItsFeaturesIsAnErrorNamingThem() {
        Tensor states = Tensor.constant(B, new double[] {1, 2, 3}, 1, 1, 3);
        Tensor action = Tensor.constant(B, new double[] {0}, 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LossInput.STATE_ACTION_COST.assemble(action, new TaskBatch(states, action)));
        assertTrue(e.getMessage().contains("the input has 3 columns, features [position, velocity] need 2"), e.getMessage());
    }

    @Test
    void namesAreUniqueAndPlain() {
        assertThrows(IllegalArgumentException.class, () -> LossInput.of(LossInput.target("y"), LossInput.prediction("y")));
        assertThrows(IllegalArgumentException.class, () -> LossInput.target("Goal Distance"));
        assertThrows(IllegalArgumentException.class, () -> new LossInput(List.of(LossInput.input("x")), true));
        assertThrows(IllegalArgumentException.class, () -> LossInput.decode("y:reward", "mean-over-samples"));
    }
}
