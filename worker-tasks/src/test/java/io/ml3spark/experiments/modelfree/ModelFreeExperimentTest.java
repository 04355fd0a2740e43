package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.control.pointmass.PointMass;
import io.ml3spark.control.ppo.PpoSettings;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.experiments.InputScaling;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.environments.PointmassGoalEnvironment;
import io.ml3spark.experiments.goalreaching.TargetRegion;
import io.ml3spark.experiments.goalreaching.Targets;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.FlatParameters;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFreeExperimentTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;
    private static final long SEED = 5;
    private static final GoalEnvironment POINTMASS = new PointmassGoalEnvironment(PointMass.EXTRAS);
    private static final PolicyArchitecture SMALL = new PolicyArchitecture(1, 8);
    private static final int[] TASKS = {0, 1};

    private static double[] ones(int n) {
        double[] v = new double[n];
        Arrays.fill(v, 1);
        return v;
    }

    private static ModelFreeExperiment small(int innerSteps, boolean afterEveryStep) {
        int width = ModelFreeSettings.features(POINTMASS).size();
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {width, 8, 1}, Activation.ELU, Activation.SOFTPLUS, true),
                ModelFreeSettings.lossInput(POINTMASS, InputScaling.dividing(ones(width))));
        Targets square = new Targets(List.of(), new TargetRegion(-1, 1, -1, 1), 2);
        ModelFreeTestSettings metaTest = new ModelFreeTestSettings(square, 1, List.of(SMALL), 0.1, 3, 2,
                new PpoSettings(60, 2, 2, 0.99, 0.95, 0.2, 3e-4, 1e-5, 0.5, 0.5, 0.0));
        return new ModelFreeExperiment(POINTMASS, new double[4], 6, SMALL, ones(8), -0.5, loss, ones(width),
                new InnerLoop(innerSteps, 0.1), 3, 4, afterEveryStep, square, metaTest);
    }

    /** Iteration 1's tasks 0 and 1 of an experiment, their policies and the live episode sampler. */
    private static final class Tasks {
        final ModelFreeExperiment x;
        final double[] phi;
        final ModelFreeTasks.TrainingGoals goals;
        final GaussianPolicy pi;
        final EpisodeSource live;

        Tasks(ModelFreeExperiment x) {
            this.x = x;
            phi = x.initialPhi(B, SEED);
            goals = x.modelFreeTasks().trainingGoals(SEED, 1, TASKS);
            pi = x.control().policy(SMALL).forGoals(x.control().goalStates(goals.goals()));
            live = x.modelFreeTasks().episodeSource(pi, goals.goals(), SEED, 1, TASKS);
        }

        MetaGradient metaGradient(double[] at, EpisodeSource source) {
            return ((UnrolledBackprop) x.estimator()).metaGradient(B, x.learnedLoss(), at,
                    x.control().problem(pi, pi.orthogonal(B, goals.initSeeds()), goals.goals(), source));
        }
    }

    /**
     * The meta-gradient through two inner steps (the surrogate after each) against central
     * differences, each episode batch recorded at phi_0 and replayed: the estimator treats
     * sampled episodes as data, so with the data fixed it is the exact derivative.
     */
    @Test
    void theMetaGradientThroughTwoInnerStepsMatchesFiniteDifferencesOnReplayedEpisodes() {
        Tasks t = new Tasks(small(2, true));
        double[] phi = t.phi;
        Map<String, PolicyEpisodes> recorded = new HashMap<>();
        EpisodeSource replay = (step, fresh, theta) ->
                recorded.computeIfAbsent(step + "/" + fresh, k -> t.live.episodes(step, fresh, theta));
        double[] analytic = t.metaGradient(phi, replay).gradientSum();
        assertEquals(4, recorded.size());
        // the logged value carries minus the mean return (about 100 here), so a step of 1e-5
        // keeps the difference's rounding below the gradient's 1e-6 accuracy
        double h = 1e-5;
        double worst = 0;
        double norm = 0;
        for (int i = 0; i < phi.length; i += 3) {
            double[] plus = phi.clone();
            double[] minus = phi.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (t.metaGradient(plus, replay).taskLossSum() - t.metaGradient(minus, replay).taskLossSum()) / (2 * h);
            worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(1e-4, Math.abs(numeric) + Math.abs(analytic[i])));
            norm += numeric * numeric;
        }
        assertTrue(norm > 1e-8, "the surrogate depends on phi: " + norm);
        assertTrue(worst < 1e-5, "worst relative error " + worst);
    }

    /** The task loss the core logs is minus the fresh episodes' mean return, summed over the inner steps; tasks are reproducible. */
    @Test
    void theLoggedTaskLossIsMinusTheMeanReturnAndTasksAreReproducible() {
        Tasks t = new Tasks(small(2, true));
        double[] phi = t.phi;
        double[] returns = new double[1];
        EpisodeSource watched = (step, fresh, theta) -> {
            PolicyEpisodes e = t.live.episodes(step, fresh, theta);
            if (fresh) {
                returns[0] += Arrays.stream(e.meanReturns()).sum();
            }
            return e;
        };
        MetaGradient m = t.metaGradient(phi, watched);
        assertEquals(-returns[0], m.taskLossSum(), 1e-9);
        MetaGradient viaTasks = MetaGradients.of(t.x, B, phi, SEED, 1, TASKS);
        assertArrayEquals(m.gradientSum(), viaTasks.gradientSum(), 0.0);
        assertEquals(m.taskLossSum(), viaTasks.taskLossSum(), 0.0);
    }

    /**
     * The REINFORCE surrogate's gradient estimates the gradient of the expected return: on
     * 20000 episodes it agrees with central differences of the mean return over the same noise
     * (common random numbers) in direction (cosine above 0.95) and size (within 15%).
     */
    @Test
    void theSurrogatesGradientEstimatesTheGradientOfTheExpectedReturn() {
        ModelFreeExperiment x = small(1, false);
        double[][] goals = {{0.5, -0.3}};
        GaussianPolicy pi = x.control().policy(SMALL).forGoals(x.control().goalStates(goals));
        List<Tensor> theta = pi.orthogonal(B, new long[] {11});
        // a mean that is not ~0 everywhere, so the goal's side matters
        List<Shape> shapes = theta.stream().map(Tensor::shape).toList();
        double[] flat = FlatParameters.flatten(theta);
        for (int i = 0; i < flat.length; i++) {
            flat[i] += 0.3 * Math.sin(7.0 * i);
        }
        int episodes = 20000;
        long[][] seeds = new long[1][episodes];
        for (int e = 0; e < episodes; e++) {
            seeds[0][e] = 1000 + e;
        }
        int horizon = 3;
        java.util.function.Function<double[], PolicyEpisodes> sample = p -> PolicyEpisodes.sample(POINTMASS.simulator(), pi,
                FlatParameters.variables(B, p, shapes), goals, x.control().goalStates(goals), new double[4], horizon, seeds);
        List<Tensor> at = FlatParameters.variables(B, flat, shapes);
        double[] reinforce = FlatParameters.flatten(Autograd.grad(sample.apply(flat).reinforce(pi, at).sum(), at, false));
        double h = 1e-5;
        double dot = 0;
        double nr = 0;
        double nf = 0;
        for (int i = 0; i < flat.length; i++) {
            double[] plus = flat.clone();
            double[] minus = flat.clone();
            plus[i] += h;
            minus[i] -= h;
            double fd = -(sample.apply(plus).meanReturns()[0] - sample.apply(minus).meanReturns()[0]) / (2 * h);
            dot += fd * reinforce[i];
            nr += reinforce[i] * reinforce[i];
            nf += fd * fd;
        }
        double cosine = dot / Math.sqrt(nr * nf);
        double ratio = Math.sqrt(nr / nf);
        assertTrue(cosine > 0.95 && Math.abs(ratio - 1) < 0.15, "cosine " + cosine + ", norm ratio " + ratio);
    }

    @Test
    void theMetaTestHasEveryArchitectureTargetAndSeedWithBothMethods() {
        ModelFreeExperiment x = small(1, false);
        assertEquals(2 * 2, x.metaTestUnits().size());
        assertEquals("policy-1x8", x.metaTestUnits().get(0).taskSet());
    }

    @Test
    void theLearnedLossReadsEpisodesPolicyOutputsAndGoalNamedWithTheirScale() {
        double[] scale = ones(12);
        scale[6] = 10;
        scale[9] = 0.1;
        LossInput in = ModelFreeSettings.lossInput(POINTMASS, InputScaling.dividing(scale));
        assertEquals(List.of("x", "y", "vx", "vy", "taken_fx", "taken_fy", "reward_div10", "mean_fx", "mean_fy",
                "log_probability_div0p1", "goal_x", "goal_y"), in.names());
        // Configs before input-divisor multiplied, and their files keep those names.
        assertEquals("reward_x10", ModelFreeSettings.lossInput(POINTMASS, new InputScaling(scale, false)).names().get(6));
        assertEquals(LossInput.Source.PREDICTION, in.features().get(9).source());
        assertEquals(LossInput.Source.TARGET, in.features().get(10).source());
    }

    @Test
    void architecturesAreNamedLayersByUnits() {
        assertEquals(new PolicyArchitecture(3, 128), PolicyArchitecture.parse("3x128"));
        assertEquals(List.of(8, 32, 2), Arrays.stream(PolicyArchitecture.parse("1x32").network(8, 2).sizes()).boxed().toList());
        for (String bad : new String[] {"2y64", "x64", "0x64", "2x", "2x64x3", ""}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyArchitecture.parse(bad), bad);
            assertTrue(e.getMessage().contains(bad.isEmpty() ? "''" : bad), e.getMessage());
        }
    }
}
