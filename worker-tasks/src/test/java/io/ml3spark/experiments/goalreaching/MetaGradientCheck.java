package io.ml3spark.experiments.goalreaching;

import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.tensor.Backend;

/** The meta-gradient of an experiment's tasks against central differences of their summed task loss. */
final class MetaGradientCheck {
    private MetaGradientCheck() {
    }

    /** The worst relative error over every {@code stride}-th component of phi (step 1e-6). */
    static double worstRelativeError(Experiment x, Backend backend, double[] phi, long seed, int[] tasks, int stride) {
        double[] analytic = MetaGradients.of(x, backend, phi, seed, 1, tasks).gradientSum();
        double h = 1e-6;
        double worst = 0;
        for (int i = 0; i < phi.length; i += stride) {
            double[] plus = phi.clone();
            double[] minus = phi.clone();
            plus[i] += h;
            minus[i] -= h;
            double numeric = (MetaGradients.of(x, backend, plus, seed, 1, tasks).taskLossSum()
                    - MetaGradients.of(x, backend, minus, seed, 1, tasks).taskLossSum()) / (2 * h);
            worst = Math.max(worst, Math.abs(analytic[i] - numeric) / Math.max(1e-3, Math.abs(numeric) + Math.abs(analytic[i])));
        }
        return worst;
    }
}
