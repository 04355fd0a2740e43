package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * The gain a meta-test reports is the linear map the policy applies: replaying each tested
 * policy's rollout with the action {@code k_p p + k_v v} reproduces its positions.
 */
class MetaTestGainTest {
    private static final Backend JVM = JvmBackend.INSTANCE;
    private static final int HORIZON = 20;
    private static final double[] START = {-0.55, 0.0};

    @Test
    void reportedGainReproducesEveryTestedPolicysRollout() {
        MountainCarExperiment e = new MountainCarExperiment(MountainCar.REFERENCE, START, HORIZON,
                new Mlp(new int[] {2, 32, 1}, Activation.IDENTITY, Activation.IDENTITY, false),
                new LearnedLoss(new Mlp(new int[] {4, 8, 1}, Activation.ELU, Activation.IDENTITY, true),
                        LossInput.STATE_ACTION_COST),
                new InnerLoop(1, 0.05), MountainCarTraining.REFERENCE, false,
                new GoalDistance(new double[] {0.5, 1.0375}, new double[] {-0.947, -0.0055}, 5), 2, 0.05);
        long seed = 3;
        MetaTestRollouts r = e.metaTestRollouts(JVM, e.initialPhi(JVM, seed), seed);
        for (List<TestedPolicy> policies : List.of(r.learned(), r.baseline())) {
            for (TestedPolicy p : policies) {
                double[] replayed = linearRollout(p.gain());
                for (int t = 0; t <= HORIZON; t++) {
                    assertEquals(replayed[t], p.positions()[t], 1e-12, "t = " + t);
                }
            }
        }
        assertNotEquals(r.learned().get(0).gain()[0], r.learned().get(2).gain()[0], "the steps changed the policy");
    }

    private static double[] linearRollout(double[] gain) {
        double[] positions = new double[HORIZON + 1];
        Tensor state = Tensor.constant(JVM, START, 1, 1, 2);
        positions[0] = START[0];
        for (int t = 1; t <= HORIZON; t++) {
            double[] s = state.toArray();
            Tensor action = Tensor.constant(JVM, new double[] {gain[0] * s[0] + gain[1] * s[1]}, 1, 1, 1);
            state = MountainCar.REFERENCE.step(state, action);
            positions[t] = state.toArray()[0];
        }
        return positions;
    }
}
