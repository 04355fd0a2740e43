package io.ml3spark.ml3;

import java.io.Serializable;

/** What is meta-trained and how: the learned loss, how its phi starts, and the estimator of its meta-gradient. */
public record MetaTraining(LearnedLoss learnedLoss, PhiInit phiInit, MetaGradientEstimator estimator)
        implements Serializable {
}
