package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

class DynamicsModelTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final ProbabilisticDynamics MODEL = ProbabilisticDynamics.reacher();

    /**
     * Transitions of {@code rollouts} random-torque rollouts of the real arm, from rest near the origin, without
     * those that end on a joint limit: a stop changes a velocity by up to 40 rad/s at once (3.5% of the steps
     * of 65-step rollouts), which would swamp the measure of how well the smooth dynamics are fitted.
     */
    static double[][][] transitions(int rollouts, int horizon, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<double[]> x = new ArrayList<>();
        List<double[]> y = new ArrayList<>();
        for (int r = 0; r < rollouts; r++) {
            double[] s = {rng.nextDouble(-0.5, 0.5), rng.nextDouble(-0.5, 0.5), 0, 0};
            for (int t = 0; t < horizon; t++) {
                double[] a = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
                double[] next = Reacher.REFERENCE.step(Tensor.constant(B, s, 1, 1, 4), Tensor.constant(B, a, 1, 1, 2)).toArray();
                if (Math.abs(next[0]) < Reacher.REFERENCE.jointLimit() && Math.abs(next[1]) < Reacher.REFERENCE.jointLimit()) {
                    x.add(new double[] {s[0], s[1], s[2], s[3], a[0], a[1]});
                    y.add(new double[] {next[2] - s[2], next[3] - s[3]});
                }
                s = next;
            }
        }
        return new double[][][] {x.toArray(new double[0][]), y.toArray(new double[0][])};
    }

    @Test
    void theNegativeLogLikelihoodsGradientMatchesFiniteDifferences() {
        SplittableRandom rng = new SplittableRandom(2);
        double[] phi = MODEL.initialParameters(B, rng);
        double[][][] data = transitions(1, 5, 3);
        double[] x = java.util.Arrays.stream(data[0]).flatMapToDouble(java.util.Arrays::stream).toArray();
        double[] y = java.util.Arrays.stream(data[1]).flatMapToDouble(java.util.Arrays::stream).toArray();
        List<Shape> shapes = new ArrayList<>(MODEL.layout().shapes());
        List<double[]> values = new ArrayList<>(MODEL.layout().split(phi).values());
        GradCheck.Fn nll = p -> MODEL.negativeLogLikelihood(p, Tensor.constant(B, x, 5, 6), Tensor.constant(B, y, 5, 2));
        assertTrue(GradCheck.firstOrder(B, nll, values, shapes) < GradCheck.TOLERANCE);
    }

    @Test
    void aFittedMemberPredictsHeldOutVelocityChanges() {
        double[][][] train = transitions(3, 65, 1);
        double[][][] test = transitions(1, 65, 99);
        int n = test[0].length;
        double[] fitted = DynamicsFit.SPEC.fit(B, MODEL, MODEL.initialParameters(B, new SplittableRandom(5)),
                train[0], train[1], 7);
        double[] x = java.util.Arrays.stream(test[0]).flatMapToDouble(java.util.Arrays::stream).toArray();
        double[] predicted = MODEL.predict(MODEL.layout().variables(B, fitted), Tensor.constant(B, x, n, 6))[0].toArray();
        double error = 0;
        double spread = 0;
        double mean = 0;
        for (double[] t : test[1]) {
            mean += (t[0] + t[1]) / (2.0 * n);
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 2; j++) {
                double target = test[1][i][j];
                error += Math.pow(predicted[2 * i + j] - target, 2);
                spread += Math.pow(target - mean, 2);
            }
        }
        double explained = 1 - error / spread;
        System.out.printf("[DynamicsModelTest] held-out one-step velocity changes: R^2 %.4f%n", explained);
        assertTrue(explained > 0.999, "R^2 " + explained);
    }

    @Test
    void aFittedEnsemblePredictsHeldOutRolloutsOneStepAndOpenLoop() {
        double[][][] train = transitions(3, 65, 1);
        List<double[]> members = new ArrayList<>();
        for (int m = 0; m < 3; m++) {
            members.add(DynamicsFit.SPEC.fit(B, MODEL, MODEL.initialParameters(B, new SplittableRandom(10 + m)),
                    train[0], train[1], 20 + m));
        }
        DynamicsEnsemble ensemble = new DynamicsEnsemble(MODEL, members, Reacher.REFERENCE.dt(), 3, 100, 1);
        SplittableRandom rng = new SplittableRandom(77);
        double[][][] states = new double[2][21][];
        double[][][] actions = new double[2][20][];
        for (int r = 0; r < 2; r++) {
            states[r][0] = new double[] {rng.nextDouble(-0.5, 0.5), rng.nextDouble(-0.5, 0.5), 0, 0};
            for (int t = 0; t < 20; t++) {
                actions[r][t] = new double[] {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
                states[r][t + 1] = Reacher.REFERENCE.step(Tensor.constant(B, states[r][t], 1, 1, 4),
                        Tensor.constant(B, actions[r][t], 1, 1, 2)).toArray();
            }
        }
        PredictionError model = PredictionError.of(B, ensemble, states, actions);
        // Against predicting no motion at all (the state stays put): the scale of the errors.
        io.ml3spark.control.Environment still = new io.ml3spark.control.Environment() {
            @Override
            public Tensor boundAction(Tensor policyOutput) {
                return policyOutput;
            }

            @Override
            public Tensor step(Tensor state, Tensor action) {
                return state;
            }
        };
        PredictionError none = PredictionError.of(B, still, states, actions);
        System.out.printf("[DynamicsModelTest] ensemble of 3: one-step RMSE %.2e, 20-step open-loop RMSE %.2e;"
                + " predicting no motion: %.2e, %.2e%n", model.oneStep(), model.openLoop(), none.oneStep(), none.openLoop());
        assertTrue(model.oneStep() < 0.05 * none.oneStep(), model + " vs " + none);
        assertTrue(model.openLoop() < 0.2 * none.openLoop(), model + " vs " + none);
    }

    @Test
    void rolloutsThroughTheEnsembleAreDifferentiableInTheActions() {
        SplittableRandom rng = new SplittableRandom(4);
        DynamicsEnsemble model = new DynamicsEnsemble(MODEL, List.of(MODEL.initialParameters(B, rng),
                MODEL.initialParameters(B, rng)), 0.01, 3, 4, 1);
        Tensor start = Tensor.constant(B, new double[] {0.1, -0.2, 0.3, 0.1, 0.0, 0.2, -0.1, 0.05}, 2, 1, 4);
        GradCheck.Fn rollout = in -> {
            Tensor s = start;
            for (int t = 0; t < 4; t++) {
                s = model.step(s, in.get(0).slice(1, t, t + 1));
            }
            return s.mul(s).sum();
        };
        List<double[]> actions = List.of(GradCheck.uniform(rng, 2 * 4 * 2, -0.8, 0.8));
        List<Shape> shapes = List.of(Shape.of(2, 4, 2));
        assertTrue(GradCheck.firstOrder(B, rollout, actions, shapes) < GradCheck.TOLERANCE);
        assertTrue(GradCheck.secondOrder(B, rollout, actions, shapes, 9) < GradCheck.TOLERANCE);
    }
}
