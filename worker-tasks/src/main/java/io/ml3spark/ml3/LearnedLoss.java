package io.ml3spark.ml3;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.ParameterLayout;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * The learned loss M_phi: a network applied to each sample's assembled input, averaged
 * over the samples of a task. phi is shared by all tasks (no task dimension).
 */
public final class LearnedLoss implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Mlp network;
    private final LossInput input;
    private final ParameterLayout layout;

    public LearnedLoss(Mlp network, LossInput input) {
        if (network.outputSize() != 1) {
            throw new IllegalArgumentException("a learned loss outputs one value per sample, network " + network
                    + " outputs " + network.outputSize());
        }
        if (network.inputSize() != input.width()) {
            throw new IllegalArgumentException("a learned loss on " + input + " takes " + input.width()
                    + " inputs, network " + network + " takes " + network.inputSize());
        }
        this.network = network;
        this.input = input;
        this.layout = new ParameterLayout(network.parameters());
    }

    public Mlp network() {
        return network;
    }

    public LossInput input() {
        return input;
    }

    /** Whether {@code other} has this loss's network and input (so a phi of one fits the other). */
    public boolean sameAs(LearnedLoss other) {
        return network.equals(other.network) && input.equals(other.input);
    }

    /** "network on input", for messages. */
    public String describe() {
        return network + " on " + input;
    }

    public ParameterLayout layout() {
        return layout;
    }

    /** A run's phi_0: drawn as {@code phiInit} says, from {@code runSeed}. */
    public double[] initialPhi(Backend backend, long runSeed, PhiInit phiInit) {
        return initialPhi(backend, new SplittableRandom(Seeds.derive(runSeed, phiInit.seedStream())), phiInit.init(),
                phiInit.bias());
    }

    public double[] initialPhi(Backend backend, SplittableRandom rng, Init init, double biasValue) {
        return layout().flatten(network.initialize(backend, init, biasValue, rng));
    }

    /**
     * d {@code objective} / d {@code phi}, flattened as phi is: the meta-gradient. A part of phi
     * that the objective cannot depend on gets zeros (the bias of an identity output layer
     * shifts the loss but not its gradient, so no inner step sees it). An objective that
     * depends on no part of phi is an error: its inner steps were taken without their graph,
     * and its meta-gradient would silently be zero.
     */
    public double[] gradient(Tensor objective, List<Tensor> phi) {
        List<Tensor> grads = Autograd.grad(objective, phi, false, true);
        if (grads.stream().allMatch(Objects::isNull)) {
            throw new IllegalArgumentException("the meta-objective does not depend on phi: were the inner steps taken"
                    + " without their graph (differentiable = false)?");
        }
        return layout().flatten(grads);
    }

    /** This loss with parameters {@code phi} held constant: an objective that no meta-gradient flows through. */
    public TrainingObjective withConstants(Backend backend, double[] phi) {
        List<Tensor> constants = new ArrayList<>();
        for (Tensor p : layout().variables(backend, phi)) {
            constants.add(p.detach());
        }
        return withParameters(constants);
    }

    /**
     * Each sample's loss with parameters {@code phi}, shape {@code [B, N]} (a per-class loss summed
     * over the classes): what {@link #withParameters} averages over the samples.
     */
    public Tensor perSample(List<Tensor> phi, Tensor prediction, TaskBatch batch) {
        Tensor out = network.forward(phi, input.assemble(prediction, batch));
        return out.reshape(batch.tasks(), batch.samples(), -1).sum(false, 2);
    }

    /** This loss with parameters {@code phi}, as an objective to train optimizees on. */
    public TrainingObjective withParameters(List<Tensor> phi) {
        return (prediction, batch) -> {
            Tensor perSample = network.forward(phi, input.assemble(prediction, batch));
            return perSample.sum().div(batch.samples());
        };
    }
}
