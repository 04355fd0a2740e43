package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.ParameterLayout;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One member of the reference's learned dynamics ensemble (docs/method.md): an MLP on the scaled (state, action)
 * whose outputs are the mean and, through softplus, the variance of each velocity's change
 * over one step (a Gaussian per velocity). Trained with the Gaussian negative log-likelihood.
 *
 * <p>The network's outputs are in units of {@code outputScale}: the mean change is
 * {@code outputScale} times its mean output, the variance {@code outputScale^2} times its
 * softplus. The reference fits the changes as they are (outputScale 1), which suits its reacher,
 * whose velocities change by up to about 5 rad/s a step. On the old arm
 * ({@code LegacySpecReacher}), whose changes were about 0.003 a step, that explained only 61-71%
 * of held-out changes, against 99.98% with the network predicting change / dt (outputScale = dt,
 * the config key {@code dynamics.output-scale}'s default, so that runs recorded before it keep
 * their meaning).
 */
public record ProbabilisticDynamics(Mlp network, double[] inputScale, int velocities, double outputScale)
        implements Serializable {
    /** Variances never fall below this: a member cannot claim certainty and divide by zero. */
    static final double MIN_VARIANCE = 1e-8;

    public ProbabilisticDynamics {
        if (network.sizes()[0] != inputScale.length || network.sizes()[network.sizes().length - 1] != 2 * velocities) {
            throw new IllegalArgumentException("dynamics network " + java.util.Arrays.toString(network.sizes())
                    + " must take " + inputScale.length + " inputs and give 2 x " + velocities + " outputs");
        }
        if (!(outputScale > 0)) {
            throw new IllegalArgumentException("dynamics output scale must be positive, got " + outputScale);
        }
        inputScale = inputScale.clone();
    }

    /**
     * The reference's reacher model: 6 -> 100 -> 30 -> 4, tanh, inputs {@code (q1, q2, dq1, dq2, tau1, tau2)}
     * divided by [1, 1, 8, 8, 1, 1]; predicts the change of (dq1, dq2) over a step as it is (outputScale 1).
     */
    public static ProbabilisticDynamics reacher() {
        return new ProbabilisticDynamics(new Mlp(new int[] {6, 100, 30, 4}, Activation.TANH, Activation.IDENTITY, true),
                new double[] {1, 1, 1.0 / 8, 1.0 / 8, 1, 1}, 2, 1.0);
    }

    public ParameterLayout layout() {
        return new ParameterLayout(network.parameters());
    }

    public double[] initialParameters(Backend backend, SplittableRandom rng) {
        return layout().flatten(network.initialize(backend, Init.XAVIER_UNIFORM, 0.0, rng));
    }

    /** Mean and variance of the velocity change, each {@code [..., velocities]}, for (state, action) {@code [..., S + A]}. */
    public Tensor[] predict(List<Tensor> params, Tensor stateAction) {
        Tensor scale = Tensor.constant(stateAction.backend(), inputScale, inputScale.length);
        Tensor out = network.forward(params, stateAction.mul(scale));
        int last = out.shape().rank() - 1;
        Tensor mean = out.slice(last, 0, velocities).mul(outputScale);
        Tensor variance = out.slice(last, velocities, 2 * velocities).softplus().add(MIN_VARIANCE)
                .mul(outputScale * outputScale);
        return new Tensor[] {mean, variance};
    }

    /** Mean Gaussian negative log-likelihood (without the constant) of {@code target} velocity changes. */
    public Tensor negativeLogLikelihood(List<Tensor> params, Tensor stateAction, Tensor target) {
        Tensor[] p = predict(params, stateAction);
        Tensor error = target.sub(p[0]);
        return p[1].log().add(error.mul(error).div(p[1])).mul(0.5).mean();
    }
}
