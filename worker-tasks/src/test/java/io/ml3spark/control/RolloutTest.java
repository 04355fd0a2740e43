package io.ml3spark.control;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A rollout in an environment other than MountainCar: an integrator x' = x + a, with actions clipped to [-1, 1]. */
class RolloutTest {
    private static final Backend JVM = JvmBackend.INSTANCE;

    /** The simplest differentiable environment: one state component, moved by the action. */
    private static final Environment INTEGRATOR = new Environment() {
        @Override
        public Tensor boundAction(Tensor policyOutput) {
            return policyOutput.clamp(-1, 1);
        }

        @Override
        public Tensor step(Tensor state, Tensor action) {
            return state.add(action);
        }
    };

    @Test
    void aLinearPolicyGivesTheClosedFormTrajectoryAndItsGradient() {
        // a = k x with k per task: x_t = x_0 (1 + k)^t while |k x| <= 1.
        MlpOptimizee linear = new MlpOptimizee(new Mlp(new int[] {1, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                Init.XAVIER_UNIFORM, 0.0);
        Tensor gains = Tensor.variable(JVM, new double[] {-0.5, 0.1}, 2, 1, 1);
        Rollout r = Rollout.of(INTEGRATOR, linear, List.of(gains), new double[] {1.0}, 4);
        assertEquals(4, r.horizon());
        assertEquals(List.of(2, 5, 1), List.of(r.states().shape().dim(0), r.states().shape().dim(1), r.states().shape().dim(2)));
        double[][] x = r.component(0);
        for (int t = 0; t <= 4; t++) {
            assertEquals(Math.pow(0.5, t), x[0][t], 1e-15);
            assertEquals(Math.pow(1.1, t), x[1][t], 1e-12);
        }
        // d x_4 / d k = 4 (1 + k)^3 x_0.
        Tensor last = r.finalState().sum();
        double[] g = Autograd.grad(last, gains, false).toArray();
        assertEquals(4 * Math.pow(0.5, 3), g[0], 1e-12);
        assertEquals(4 * Math.pow(1.1, 3), g[1], 1e-12);
    }
}
