package io.ml3spark.ml3;

import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/**
 * How the meta-gradient of a batch of tasks is estimated from their {@link InnerProblem}: by
 * backpropagation through the inner steps ({@link UnrolledBackprop}) or from objective values
 * alone ({@link EvolutionStrategyEstimator}). {@code noiseSeed} feeds an estimator that
 * samples; one that does not ignores it.
 */
public interface MetaGradientEstimator extends Serializable {
    MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed);
}
