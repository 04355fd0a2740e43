package io.ml3spark.experiments.mountaincar;

import io.ml3spark.control.FixedPoint;
import io.ml3spark.ml3.EvolutionStrategy;

import java.io.Serializable;

/**
 * What one outer iteration trains on: {@code policies} initial policies (the run's fixed
 * one when not {@code resample}d, as the reference; fresh draws per iteration otherwise),
 * and the task loss after the last inner step only or summed over every inner step. The
 * meta-gradient of that objective is backpropagated through the inner steps, or, with an
 * {@code evolutionStrategy}, estimated from objective values alone (then each task of an
 * iteration is one antithetic pair on the run's first initial policy). With
 * {@code fixedPoint} the meta-gradient is instead that of the fixed-point objective
 * ({@link FixedPoint}); the task loss is still reported.
 */
public record MountainCarTraining(int policies, boolean resample, boolean lossAfterEveryStep,
                                  EvolutionStrategy evolutionStrategy, boolean fixedPoint) implements Serializable {
    public static final MountainCarTraining REFERENCE = new MountainCarTraining(1, false, false, null, false);

    public MountainCarTraining {
        if (policies < 1) {
            throw new IllegalArgumentException("policies per outer iteration must be >= 1, got " + policies);
        }
        if (evolutionStrategy != null && fixedPoint) {
            throw new IllegalArgumentException("one meta-gradient: evolution strategy or fixed point, not both");
        }
        if ((evolutionStrategy != null || fixedPoint) && (policies != 1 || resample)) {
            throw new IllegalArgumentException("the " + (fixedPoint ? "fixed-point objective" : "evolution strategy")
                    + " trains on the run's one fixed initial policy (policies = 1, resample = false)");
        }
    }

    public MountainCarTraining(int policies, boolean resample, boolean lossAfterEveryStep,
                               EvolutionStrategy evolutionStrategy) {
        this(policies, resample, lossAfterEveryStep, evolutionStrategy, false);
    }
}
