package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MountainCar report's landscape excerpt (docs/experiments/mountain-car.md) (task loss x100 over linear gains, '*' where the
 * rollout ends at the goal) was printed by {@code docs/analysis/mountain_car_landscape.py},
 * which restates the car in Python. Every cell is recomputed here with the Java car, so the
 * script, the table and {@link MountainCar} cannot drift apart unnoticed.
 */
class GainLandscapeTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final double[] VELOCITY_GAINS = {0.5, 1.0, 1.5, 2.0, 3.0, 5.0, 8.0};
    private static final double[] POSITION_GAINS = {0.0, 0.25, 0.5, 1.0, 2.0};
    private static final String[][] REPORT_TABLE = {
            {"125", "136", "137", "139", "137", "139", "140"},
            {"75", "65*", "62*", "60*", "59*", "58*", "58*"},
            {"102", "76", "69*", "64*", "61*", "58*", "57*"},
            {"106", "106", "106", "81", "72*", "64*", "60*"},
            {"106", "106", "106", "106", "106", "77", "67*"},
    };

    @Test
    void javaCarReproducesReadmeLandscape() {
        int n = POSITION_GAINS.length * VELOCITY_GAINS.length;
        double[] gains = new double[2 * n];
        for (int i = 0; i < POSITION_GAINS.length; i++) {
            for (int j = 0; j < VELOCITY_GAINS.length; j++) {
                int cell = i * VELOCITY_GAINS.length + j;
                gains[2 * cell] = POSITION_GAINS[i];
                gains[2 * cell + 1] = VELOCITY_GAINS[j];
            }
        }
        MlpOptimizee linear = new MlpOptimizee(new Mlp(new int[] {2, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                Init.TORCH_DEFAULT, 0.0);
        Rollout rollout = Rollout.of(MountainCar.REFERENCE, linear, List.of(Tensor.constant(JVM, gains, n, 2, 1)),
                new double[] {-0.55, 0.0}, 35);
        GoalDistance withIntermediateGoal = new GoalDistance(new double[] {0.5, 1.0375}, new double[] {-0.947, -0.0055}, 15);
        double[] loss = withIntermediateGoal.perTask(rollout).toArray();
        double[][] positions = rollout.component(0);
        for (int i = 0; i < POSITION_GAINS.length; i++) {
            for (int j = 0; j < VELOCITY_GAINS.length; j++) {
                int cell = i * VELOCITY_GAINS.length + j;
                double end = positions[cell][positions[cell].length - 1];
                String computed = Math.round(100 * loss[cell]) + (end >= 0.4999 ? "*" : "");
                assertEquals(REPORT_TABLE[i][j], computed, "gain (" + POSITION_GAINS[i] + ", " + VELOCITY_GAINS[j] + ")");
            }
        }
    }
}
