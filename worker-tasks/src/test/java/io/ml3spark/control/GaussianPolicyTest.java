package io.ml3spark.control;

import io.ml3spark.autodiff.GradCheck;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class GaussianPolicyTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    private static GaussianPolicy policy(double[] goals, double logStd) {
        double[] scale = new double[8];
        Arrays.fill(scale, 1);
        return new GaussianPolicy(new GoalConditionedPolicy(new Mlp(new int[] {8, 5, 2}, Activation.TANH,
                Activation.IDENTITY, true), Init.TORCH_DEFAULT, scale, goals, 4, true), logStd);
    }

    @Test
    void theLogProbabilityIsTheGaussiansByHand() {
        GaussianPolicy pi = policy(new double[] {0.5, -0.5, 0, 0}, -0.7);
        List<Tensor> theta = pi.initialize(B, new long[] {3});
        Tensor state = Tensor.constant(B, new double[] {0.1, 0.2, -0.3, 0.4}, 1, 1, 4);
        double[] mu = pi.predict(theta, state).toArray();
        double[] a = {0.3, -0.9};
        double sigma = Math.exp(-0.7);
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            expected += -0.5 * Math.pow((a[i] - mu[i]) / sigma, 2) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
        }
        assertEquals(expected, pi.logProbability(theta, state, Tensor.constant(B, a, 1, 1, 2)).item(), 1e-12);
        assertEquals(5, theta.size(), "the mean's 4 tensors, then the log standard deviation");
        assertArrayEquals(new int[] {1, 1, 2}, pi.logStd(theta).shape().dims());
    }

    @Test
    void itsGradientMatchesFiniteDifferencesToSecondOrder() {
        GaussianPolicy pi = policy(new double[] {0.5, -0.5, 0, 0, -0.2, 0.3, 0, 0}, -0.3);
        List<Tensor> theta = pi.initialize(B, new long[] {1, 2});
        SplittableRandom rng = new SplittableRandom(4);
        Tensor states = Tensor.constant(B, GradCheck.uniform(rng, 2 * 3 * 4, -1, 1), 2, 3, 4);
        Tensor actions = Tensor.constant(B, GradCheck.uniform(rng, 2 * 3 * 2, -1, 1), 2, 3, 2);
        GradCheck.Fn f = params -> pi.logProbability(params, states, actions).sum();
        List<double[]> values = new ArrayList<>();
        List<Shape> shapes = new ArrayList<>();
        for (Tensor p : theta) {
            values.add(p.toArray());
            shapes.add(p.shape());
        }
        assertTrue(GradCheck.firstOrder(B, f, values, shapes) < GradCheck.TOLERANCE);
        assertTrue(GradCheck.secondOrder(B, f, values, shapes, 9) < GradCheck.TOLERANCE);
    }

    @Test
    void sampledActionsHaveThePoliciesMeanAndStandardDeviation() {
        GaussianPolicy pi = policy(new double[] {0.5, -0.5, 0, 0}, Math.log(0.3));
        List<Tensor> theta = pi.initialize(B, new long[] {5});
        int n = 20000;
        double[] sameState = new double[n * 4];
        Tensor states = Tensor.constant(B, sameState, 1, n, 4);
        double[] noise = new double[n * 2];
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < noise.length; i++) {
            noise[i] = rng.nextGaussian();
        }
        double[] drawn = pi.sample(theta, states, Tensor.constant(B, noise, 1, n, 2)).toArray();
        double[] mu = pi.predict(theta, Tensor.constant(B, new double[4], 1, 1, 4)).toArray();
        for (int c = 0; c < 2; c++) {
            double sum = 0;
            double squares = 0;
            for (int i = 0; i < n; i++) {
                sum += drawn[2 * i + c];
                squares += drawn[2 * i + c] * drawn[2 * i + c];
            }
            double mean = sum / n;
            double std = Math.sqrt(squares / n - mean * mean);
            assertEquals(mu[c], mean, 4 * 0.3 / Math.sqrt(n), "mean of component " + c);
            assertEquals(0.3, std, 0.01, "standard deviation of component " + c);
        }
    }

    @Test
    void anEpisodeDependsOnItsOwnSeedOnly() {
        PointMass env = PointMass.EXTRAS;
        double[] start = new double[4];
        GaussianPolicy two = policy(new double[] {0.5, -0.5, 0, 0, -0.2, 0.3, 0, 0}, -0.5);
        GaussianPolicy one = policy(new double[] {-0.2, 0.3, 0, 0}, -0.5);
        List<Tensor> both = two.initialize(B, new long[] {7, 7});
        List<Tensor> single = one.initialize(B, new long[] {7});
        StochasticRollout batch = StochasticRollout.sample(env, two, both, start, 6, new long[] {11, 12});
        StochasticRollout alone = StochasticRollout.sample(env, one, single, start, 6, new long[] {12});
        assertArrayEquals(alone.states().toArray(), batch.states().slice(0, 1, 2).toArray(), 1e-15);
        assertArrayEquals(alone.actions().toArray(), batch.actions().slice(0, 1, 2).toArray(), 1e-15);
        StochasticRollout other = StochasticRollout.sample(env, one, single, start, 6, new long[] {13});
        assertFalse(Arrays.equals(alone.actions().toArray(), other.actions().toArray()), "another seed, other actions");
        assertFalse(alone.states().requiresGrad(), "episodes are data");
        assertEquals(6, alone.horizon());
        // The drawn actions are the policy's samples with the recorded noise, in the states they were drawn in.
        assertArrayEquals(one.sample(single, alone.statesBeforeActions(), alone.noise()).toArray(),
                alone.actions().toArray(), 1e-12);
    }
}
