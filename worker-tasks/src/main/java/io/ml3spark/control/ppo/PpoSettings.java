package io.ml3spark.control.ppo;

import java.io.Serializable;

/**
 * PPO's settings, defaults as CleanRL's continuous PPO: 2048 steps per rollout, 32 minibatches,
 * 10 epochs, gamma 0.99, GAE lambda 0.95, clip 0.2 (value loss clipped too), Adam 3e-4 with
 * eps 1e-5, value coefficient 0.5, gradient norm at most 0.5, the policy's log standard deviation
 * starting at 0 (whatever the policy's own initial value).
 */
public record PpoSettings(int stepsPerRollout, int minibatches, int epochs, double gamma, double lambda, double clip,
                          double learningRate, double adamEpsilon, double valueCoefficient, double maxGradNorm,
                          double initialLogStd) implements Serializable {
    public static final PpoSettings CLEANRL = new PpoSettings(2048, 32, 10, 0.99, 0.95, 0.2, 3e-4, 1e-5, 0.5, 0.5, 0.0);

    public PpoSettings {
        if (stepsPerRollout < 1 || minibatches < 1 || epochs < 1) {
            throw new IllegalArgumentException("PPO: steps per rollout, minibatches and epochs must be >= 1");
        }
        if (!(learningRate > 0) || !(adamEpsilon > 0) || !(maxGradNorm > 0)) {
            throw new IllegalArgumentException("PPO: learning rate, Adam epsilon and gradient norm must be positive");
        }
        if (!Double.isFinite(initialLogStd)) {
            throw new IllegalArgumentException("PPO: the initial log standard deviation must be finite");
        }
    }
}
