package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

/**
 * The meta-gradient from objective values only: one antithetic pair of {@code es} on the task
 * loss after {@code steps}' inner loop, evaluated without a graph. For objectives whose
 * gradient backpropagation cannot see (a cliff in clipped dynamics).
 */
public record EvolutionStrategyEstimator(EvolutionStrategy es, UnrolledBackprop steps) implements MetaGradientEstimator {
    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed) {
        return es.pair(phi, noiseSeed, p -> objective(backend, loss, p, problem));
    }

    /** The task loss after the inner steps on the learned loss with parameters {@code phi}, summed over the tasks. */
    public double objective(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem) {
        return steps.taskLossAfterSteps(loss.withParameters(loss.layout().variables(backend, phi)), problem, false)
                .sum().item();
    }
}
