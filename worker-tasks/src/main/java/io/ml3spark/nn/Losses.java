package io.ml3spark.nn;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;

/** Task losses, each the mean over every leading dimension (samples and tasks). */
public final class Losses {
    private Losses() {
    }

    public static Tensor mse(Tensor prediction, Tensor target) {
        return prediction.sub(target).square().mean();
    }

    /** Negative log-likelihood of one-hot targets under log-probabilities (last axis = classes). */
    public static Tensor nll(Tensor logProbabilities, Tensor oneHot) {
        int classes = logProbabilities.shape().dim(-1);
        return logProbabilities.mul(oneHot).sum().neg().div(logProbabilities.shape().size() / classes);
    }

    /** Softmax cross-entropy of logits against one-hot targets. */
    public static Tensor crossEntropy(Tensor logits, Tensor oneHot) {
        return nll(Functional.logSoftmax(logits, -1), oneHot);
    }

    /** Binary cross-entropy of logits x against targets z in [0, 1]: max(x, 0) - x z + log(1 + e^-|x|). */
    public static Tensor binaryCrossEntropyWithLogits(Tensor logits, Tensor targets) {
        return logits.relu().sub(logits.mul(targets)).add(logits.abs().neg().softplus()).mean();
    }
}
