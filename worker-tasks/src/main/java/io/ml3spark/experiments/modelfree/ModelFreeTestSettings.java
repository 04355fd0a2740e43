package io.ml3spark.experiments.modelfree;

import io.ml3spark.control.ppo.PpoSettings;
import io.ml3spark.experiments.goalreaching.Targets;

import java.io.Serializable;
import java.util.List;

/**
 * The model-free meta-test: on each test target, with each policy architecture and each of
 * {@code seeds} initialisations, a policy trained by SGD on the learned loss (over
 * {@code episodes} fresh episodes a step, learning rate {@code learningRate}) against one
 * trained by PPO, both for {@code ppoRollouts} of PPO's rollouts' worth of environment steps
 * from the same initial policy.
 */
public record ModelFreeTestSettings(Targets targets, int seeds, List<PolicyArchitecture> architectures,
                                    double learningRate, int episodes, int ppoRollouts, PpoSettings ppo)
        implements Serializable {
    public ModelFreeTestSettings {
        architectures = List.copyOf(architectures);
        if (seeds < 1 || episodes < 1 || ppoRollouts < 1 || architectures.isEmpty() || !(learningRate > 0)) {
            throw new IllegalArgumentException("meta-test: seeds, episodes and PPO rollouts >= 1, an architecture,"
                    + " a positive learning rate");
        }
    }
}
