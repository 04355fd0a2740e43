package io.ml3spark.autodiff;

import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Losses;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.EngineTestBackends;
import io.ml3spark.tensor.Shape;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The ML3 meta-gradient: an optimizee f_theta takes K SGD steps on a learned loss M_phi,
 * theta' = theta - alpha dM_phi(f_theta(x), y)/dtheta, and the task loss
 * L = mse(f_theta'(x), y) is differentiated with respect to phi through those steps. The
 * result must match central finite differences of phi -> L(theta'(phi)), which is only
 * possible through the exact second-order term; without it the phi gradient is zero.
 */
class Ml3MetaGradientTest {
    private static final Mlp OPTIMIZEE = new Mlp(new int[] {1, 8, 4, 1}, Activation.RELU, Activation.IDENTITY, true);
    private static final Mlp META_LOSS = new Mlp(new int[] {2, 6, 6, 1}, Activation.RELU, Activation.SOFTPLUS, false);
    private static final int POINTS = 20;
    private static final double ALPHA = 0.1;

    /** A sine task y = sin(x - pi) on 20 points in [-2, 2], an initial theta and a phi, for {@code tasks} tasks (0: unbatched). */
    private record Problem(Tensor x, Tensor y, List<Tensor> theta, List<double[]> phi, List<Shape> phiShapes) {

        static Problem sine(Backend backend, int tasks) {
            SplittableRandom rng = new SplittableRandom(20);
            int copies = Math.max(tasks, 1);
            double[] xs = GradCheck.uniform(rng, copies * POINTS, -2, 2);
            double[] ys = Arrays.stream(xs).map(v -> Math.sin(v - Math.PI)).toArray();
            int[] dims = tasks == 0 ? new int[] {POINTS, 1} : new int[] {tasks, POINTS, 1};
            List<Tensor> theta = tasks == 0 ? OPTIMIZEE.initialize(backend, Init.TORCH_DEFAULT, 0.0, rng)
                    : OPTIMIZEE.initializeBatch(backend, Init.TORCH_DEFAULT, 0.0, rng.longs(tasks).toArray());
            List<Tensor> phi = META_LOSS.initialize(backend, Init.XAVIER_UNIFORM, 0.0, rng);
            return new Problem(Tensor.constant(backend, xs, dims), Tensor.constant(backend, ys, dims), theta,
                    phi.stream().map(Tensor::toArray).toList(), META_LOSS.parameterShapes());
        }

        /** theta after {@code steps} SGD steps on M_phi, the gradients taken with or without {@code createGraph}. */
        List<Tensor> adapt(List<Tensor> phiParams, int steps, boolean createGraph) {
            List<Tensor> params = theta;
            for (int k = 0; k < steps; k++) {
                Tensor yhat = OPTIMIZEE.forward(params, x);
                Tensor metaLoss = META_LOSS.forward(phiParams, Tensor.concat(List.of(yhat, y), -1)).mean();
                List<Tensor> grads = Autograd.grad(metaLoss, params, createGraph);
                List<Tensor> next = new ArrayList<>(params.size());
                for (int i = 0; i < params.size(); i++) {
                    next.add(params.get(i).sub(grads.get(i).mul(ALPHA)));
                }
                params = next;
            }
            return params;
        }

        Tensor taskLoss(List<Tensor> params) {
            return Losses.mse(OPTIMIZEE.forward(params, x), y);
        }

        Tensor metaObjective(List<Tensor> phiParams, int steps, boolean createGraph) {
            return taskLoss(adapt(phiParams, steps, createGraph));
        }

        List<Tensor> phiVariables() {
            return GradCheck.variables(x.backend(), phi, phiShapes);
        }

        /** dL/dphi through the inner steps, their gradients taken with or without {@code createGraph}. */
        List<Tensor> metaGradient(int steps, boolean createGraph) {
            List<Tensor> phiParams = phiVariables();
            return Autograd.grad(metaObjective(phiParams, steps, createGraph), phiParams, false);
        }
    }

    /** Inner steps K and task batch size (0: one unbatched task). */
    static Stream<Arguments> settings() {
        return EngineTestBackends.all().flatMap(b -> Stream.of(
                Arguments.of(Named.of(b.name(), b), 1, 0),
                Arguments.of(Named.of(b.name(), b), 3, 0),
                Arguments.of(Named.of(b.name(), b), 1, 2)));
    }

    @ParameterizedTest(name = "{0}: K = {1}, tasks = {2}")
    @MethodSource("settings")
    void metaGradientMatchesFiniteDifferencesOfTheWholeObjective(Backend backend, int steps, int tasks) {
        Problem p = Problem.sine(backend, tasks);
        List<Tensor> analytic = p.metaGradient(steps, true);

        // The inner steps matter: they move theta and change the task loss well beyond rounding.
        List<Tensor> adapted = p.adapt(p.phiVariables(), steps, false);
        double moved = 0;
        for (int i = 0; i < adapted.size(); i++) {
            moved = Math.max(moved, maxAbs(adapted.get(i).sub(p.theta().get(i)).toArray()));
        }
        assertTrue(moved > 1e-3, "inner steps barely move theta: " + moved);
        double before = p.taskLoss(p.theta()).item();
        double after = p.taskLoss(adapted).item();
        assertTrue(Math.abs(after - before) > 1e-3, "inner steps barely change the task loss: " + before + " -> " + after);

        List<double[]> numeric = new ArrayList<>();
        double scale = 0;
        for (int i = 0; i < analytic.size(); i++) {
            double[] n = GradCheck.numericGradient(backend, ps -> p.metaObjective(ps, steps, false).item(),
                    p.phi(), p.phiShapes(), i);
            numeric.add(n);
            scale = Math.max(scale, maxAbs(n));
        }
        assertTrue(scale > 1e-3, "meta-gradient too small to check: " + scale);
        // Relative to the meta-gradient's own size, not to max(1, size).
        for (int i = 0; i < analytic.size(); i++) {
            assertArrayEquals(numeric.get(i), analytic.get(i).toArray(), 1e-6 * scale, "dL/dphi" + i);
        }
    }

    @ParameterizedTest(name = "{0}: K = {1}, tasks = {2}")
    @MethodSource("settings")
    void withoutCreateGraphInTheInnerStepNoGradientReachesPhiAndAskingIsAnError(Backend backend, int steps, int tasks) {
        Problem p = Problem.sine(backend, tasks);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p.metaGradient(steps, false));
        assertTrue(e.getMessage().startsWith("grad: the outputs do not use input 0 of "), e.getMessage());
        List<Tensor> phiParams = p.phiVariables();
        assertTrue(Autograd.grad(List.of(p.metaObjective(phiParams, steps, false)), null, phiParams, false, true)
                .stream().allMatch(java.util.Objects::isNull), "allowUnused: nothing reaches phi");
        List<Tensor> exact = p.metaGradient(steps, true);
        double exactSize = 0;
        for (int i = 0; i < exact.size(); i++) {
            exactSize = Math.max(exactSize, maxAbs(exact.get(i).toArray()));
        }
        assertTrue(exactSize > 1e-3, "the exact meta-gradient should not vanish: " + exactSize);
    }

    private static double maxAbs(double[] v) {
        return Arrays.stream(v).map(Math::abs).max().orElse(0);
    }
}
