package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The meta-gradient from objective values only: antithetic pairs of {@code es} on the task
 * loss after {@code steps}' inner loop, evaluated without a graph, one pair per noise seed of
 * the group. For objectives whose gradient backpropagation cannot see (a cliff in clipped dynamics).
 */
public record EvolutionStrategyEstimator(EvolutionStrategy es, UnrolledBackprop steps) implements MetaGradientEstimator {
    /** One antithetic pair with noise from {@code noiseSeed}. */
    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed) {
        return es.pair(phi, noiseSeed, p -> objective(backend, loss, p, problem));
    }

    /** One pair per noise seed of the group, each on the group's whole problem, summed. */
    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, List<double[]> phis, TaskGroup group) {
        MetaGradientEstimator.checkUpdate(phis, 1);
        double[] phi = phis.get(0);
        MetaGradient sum = MetaGradient.zero(phi.length);
        for (long seed : group.noiseSeeds()) {
            sum = sum.plus(estimate(backend, loss, phi, group.problem(), seed));
        }
        return sum;
    }

    /** The task loss after the inner steps on the learned loss with parameters {@code phi}, summed over the tasks. */
    public double objective(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem) {
        return steps.taskLossAfterSteps(loss.withParameters(loss.layout().variables(backend, phi)), problem, false)
                .sum().item();
    }
}
