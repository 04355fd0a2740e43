package io.ml3spark.control.ppo;

import io.ml3spark.autodiff.Tensor;

/**
 * PPO's minibatch loss (Schulman et al. 2017, as CleanRL's continuous PPO computes it), each
 * argument {@code [N]} over the minibatch's steps: the clipped surrogate
 * {@code mean max(-A r, -A clip(r, 1 - c, 1 + c))} with {@code r = exp(log pi - log pi_old)} and
 * the advantages normalised over the minibatch, plus {@code valueCoefficient} times the value
 * loss {@code 0.5 mean (V - R)^2}. With {@code clipValue}, that is the larger of it and the same
 * with V kept within {@code c} of the old value.
 */
public record PpoLoss(double clip, double valueCoefficient, boolean clipValue) {
    public PpoLoss {
        if (!(clip > 0) || !(valueCoefficient >= 0)) {
            throw new IllegalArgumentException("PPO: the clip range must be positive and the value coefficient"
                    + " non-negative, got " + clip + " and " + valueCoefficient);
        }
    }

    public Tensor of(Tensor logProbability, Tensor oldLogProbability, Tensor advantages, Tensor values,
                     Tensor oldValues, Tensor returns) {
        return surrogate(logProbability, oldLogProbability, advantages).add(valueLoss(values, oldValues, returns)
                .mul(valueCoefficient));
    }

    /** The clipped surrogate, to minimise; the advantages are constants, normalised to mean 0 and std 1. */
    public Tensor surrogate(Tensor logProbability, Tensor oldLogProbability, Tensor advantages) {
        Tensor a = normalised(advantages.detach());
        Tensor ratio = logProbability.sub(oldLogProbability.detach()).exp();
        Tensor unclipped = a.neg().mul(ratio);
        Tensor clipped = a.neg().mul(ratio.clamp(1 - clip, 1 + clip));
        return Tensor.where(unclipped.gt(clipped), unclipped, clipped).mean();
    }

    /** {@code 0.5 mean (V - R)^2}, or with {@code clipValue} the larger of it and its clipped form per step. */
    public Tensor valueLoss(Tensor values, Tensor oldValues, Tensor returns) {
        Tensor target = returns.detach();
        Tensor plain = values.sub(target).square();
        if (!clipValue) {
            return plain.mean().mul(0.5);
        }
        Tensor old = oldValues.detach();
        Tensor clipped = old.add(values.sub(old).clamp(-clip, clip)).sub(target).square();
        return Tensor.where(plain.gt(clipped), plain, clipped).mean().mul(0.5);
    }

    /** (A - mean) / (std + 1e-8), std with Bessel's correction as torch.std. */
    static Tensor normalised(Tensor a) {
        int n = a.shape().size();
        Tensor centred = a.sub(a.mean());
        Tensor std = centred.square().sum().div(Math.max(1, n - 1)).sqrt();
        return centred.div(std.add(1e-8));
    }
}
