package io.ml3spark.dl4j;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.shade.jackson.annotation.JsonCreator;
import org.nd4j.shade.jackson.annotation.JsonIgnore;
import org.nd4j.shade.jackson.annotation.JsonProperty;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A meta-learned loss as an ND4J/DL4J {@link ILossFunction}, for training a DL4J network with
 * it: {@code new OutputLayer.Builder(LearnedLossFunction.fromFile(bytes, path))}.
 *
 * <p>Per example, the loss is the learned network M_phi on the example's features: the
 * prediction (the output layer's activations, or their log-softmax, see {@link Prediction})
 * and the label, column by column as the file's {@code features} name them; a per-class loss
 * applies M_phi to each (prediction, label) pair of classes and sums over the classes. The score
 * averages over the examples (with {@code average}), and the gradient is that of the summed
 * per-example losses with respect to the pre-activations, as DL4J's own losses give it. Both are
 * exact: M_phi and its derivative run on this project's autodiff, in float64, whatever the
 * network's data type.
 *
 * <p>The whole loss (architecture, features and phi) is in its JSON form, so a network's
 * configuration, and {@code ModelSerializer}'s files, carry it without the learned-loss file.
 * Losses whose features include the network's input cannot be used: an {@code ILossFunction}
 * never sees the input.
 */
public final class LearnedLossFunction implements ILossFunction {
    private static final long serialVersionUID = 1L;

    /** What M_phi's prediction features are, given the output layer's activations. */
    public enum Prediction {
        /** The activations as they are (regression, or a loss learned on probabilities). */
        OUTPUT,
        /**
         * The log-softmax of the activations, over the classes: for losses learned on log
         * probabilities (the digit experiments). Give the output layer {@code Activation.IDENTITY}.
         */
        LOG_SOFTMAX
    }

    @JsonProperty("layers")
    private final int[] layers;
    @JsonProperty("activation")
    private final String activation;
    @JsonProperty("output")
    private final String output;
    @JsonProperty("bias")
    private final boolean bias;
    @JsonProperty("features")
    private final String features;
    @JsonProperty("reduction")
    private final String reduction;
    @JsonProperty("prediction")
    private final Prediction prediction;
    @JsonProperty("phi")
    private final double[] phi;

    @JsonIgnore
    private transient volatile Compiled compiled;

    /** The loss's network and its parameters, rebuilt from the fields (after deserialisation too). */
    private record Compiled(LearnedLoss loss, List<Tensor> phi, int predictionColumns) {
    }

    @JsonCreator
    public LearnedLossFunction(@JsonProperty("layers") int[] layers, @JsonProperty("activation") String activation,
                               @JsonProperty("output") String output, @JsonProperty("bias") boolean bias,
                               @JsonProperty("features") String features, @JsonProperty("reduction") String reduction,
                               @JsonProperty("prediction") Prediction prediction, @JsonProperty("phi") double[] phi) {
        this.layers = layers.clone();
        this.activation = activation;
        this.output = output;
        this.bias = bias;
        this.features = features;
        this.reduction = reduction;
        this.prediction = Objects.requireNonNull(prediction, "prediction");
        this.phi = phi.clone();
        compile();
    }

    /** The loss with parameters {@code phi}. */
    public static LearnedLossFunction of(LearnedLoss loss, double[] phi, Prediction prediction) {
        Mlp net = loss.network();
        return new LearnedLossFunction(net.sizes(), net.hidden().name().toLowerCase(Locale.ROOT),
                net.output().name().toLowerCase(Locale.ROOT), net.hasBias(), loss.input().encode(),
                loss.input().reduction(), prediction, phi);
    }

    /**
     * The loss in a learned-loss file; {@code source} names the file in errors. The prediction is
     * {@link Prediction#LOG_SOFTMAX} when the file's prediction features are log probabilities
     * (named {@code log_probability...}), else {@link Prediction#OUTPUT}.
     */
    public static LearnedLossFunction fromFile(byte[] bytes, String source) {
        LearnedLossFile.Contents c = LearnedLossFile.decode(bytes, source);
        boolean logProbabilities = c.loss().input().features().stream()
                .anyMatch(f -> f.source() == LossInput.Source.PREDICTION && f.name().startsWith("log_probability"));
        return of(c.loss(), c.phi(), logProbabilities ? Prediction.LOG_SOFTMAX : Prediction.OUTPUT);
    }

    /** The same loss with another reading of the output layer's activations. */
    public LearnedLossFunction withPrediction(Prediction other) {
        return new LearnedLossFunction(layers, activation, output, bias, features, reduction, other, phi);
    }

    public Prediction prediction() {
        return prediction;
    }

    private Compiled compile() {
        Compiled c = compiled;
        if (c != null) {
            return c;
        }
        Mlp net = new Mlp(layers, Activation.parse(activation), Activation.parse(output), bias);
        LossInput input = LossInput.decode(features, reduction);
        if (input.features().stream().anyMatch(f -> f.source() == LossInput.Source.INPUT)) {
            throw new IllegalArgumentException("this learned loss reads the network's input (features " + input.names()
                    + "), which a DL4J loss function never sees");
        }
        LearnedLoss loss = new LearnedLoss(net, input);
        if (phi.length != loss.layout().size()) {
            throw new IllegalArgumentException("phi has " + phi.length + " values, the learned loss " + Arrays.toString(layers)
                    + " needs " + loss.layout().size());
        }
        long columns = input.features().stream().filter(f -> f.source() == LossInput.Source.PREDICTION).count();
        List<Tensor> constants = loss.layout().variables(JvmBackend.INSTANCE, phi).stream().map(Tensor::detach).toList();
        c = new Compiled(loss, constants, input.perClass() ? -1 : (int) columns);
        compiled = c;
        return c;
    }

    /** Each example's loss {@code [N]}, and its gradient with respect to the activations when asked. */
    private record Evaluation(double[] perExample, INDArray activationGradient) {
    }

    private Evaluation evaluate(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                                boolean withGradient) {
        Compiled c = compile();
        if (preOutput.rank() != 2 || !Arrays.equals(labels.shape(), preOutput.shape())) {
            throw new IllegalArgumentException("a learned loss takes labels and pre-activations [examples, columns] of"
                    + " one shape, got " + Arrays.toString(labels.shape()) + " and " + Arrays.toString(preOutput.shape()));
        }
        int n = (int) preOutput.size(0);
        int columns = (int) preOutput.size(1);
        if (c.predictionColumns() >= 0 && c.predictionColumns() != columns) {
            throw new IllegalArgumentException("the learned loss's features " + c.loss().input().names() + " need "
                    + c.predictionColumns() + " output columns, the network has " + columns);
        }
        double[] activations = activationFn.getActivation(preOutput.dup(), true).castTo(DataType.DOUBLE).data().asDouble();
        Tensor out = Tensor.variable(JvmBackend.INSTANCE, activations, 1, n, columns);
        Tensor predicted = prediction == Prediction.LOG_SOFTMAX ? Functional.logSoftmax(out, -1) : out;
        double[] labelValues = labels.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        TaskBatch batch = new TaskBatch(Tensor.zeros(JvmBackend.INSTANCE, 1, n, 0),
                Tensor.constant(JvmBackend.INSTANCE, labelValues, 1, n, columns));
        Tensor perExample = c.loss().perSample(c.phi(), predicted, batch).reshape(n);
        double[] weights = exampleWeights(mask, n, columns);
        if (weights != null) {
            perExample = perExample.mul(Tensor.constant(JvmBackend.INSTANCE, weights, n));
        }
        double[] values = perExample.toArray();
        if (!withGradient) {
            return new Evaluation(values, null);
        }
        double[] dOut = Autograd.grad(perExample.sum(), List.of(out), false, false).get(0).toArray();
        INDArray dLdActivation = Nd4j.create(dOut, new long[] {n, columns}, DataType.DOUBLE).castTo(preOutput.dataType());
        INDArray dLdPreOutput = activationFn.backprop(preOutput.dup(), dLdActivation).getFirst();
        return new Evaluation(values, dLdPreOutput);
    }

    /** Per-example weights of a mask {@code [N]} or {@code [N, 1]} (or {@code [N, C]} with equal columns), or null. */
    private static double[] exampleWeights(INDArray mask, int n, int columns) {
        if (mask == null) {
            return null;
        }
        if (mask.length() == n) {
            return mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        }
        if (mask.rank() == 2 && mask.size(0) == n && mask.size(1) == columns) {
            double[] m = mask.castTo(DataType.DOUBLE).dup('c').data().asDouble();
            double[] w = new double[n];
            for (int i = 0; i < n; i++) {
                w[i] = m[i * columns];
                for (int j = 1; j < columns; j++) {
                    if (m[i * columns + j] != w[i]) {
                        throw new IllegalArgumentException("a learned loss weighs whole examples: a mask [examples, columns]"
                                + " must be the same across an example's columns (example " + i + " is not)");
                    }
                }
            }
            return w;
        }
        throw new IllegalArgumentException("mask of shape " + Arrays.toString(mask.shape()) + " for " + n
                + " examples: expected [" + n + "] or [" + n + ", 1]");
    }

    @Override
    public double computeScore(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask,
                               boolean average) {
        double[] perExample = evaluate(labels, preOutput, activationFn, mask, false).perExample();
        return sum(perExample) / (average ? perExample.length : 1);
    }

    @Override
    public INDArray computeScoreArray(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        double[] perExample = evaluate(labels, preOutput, activationFn, mask, false).perExample();
        return Nd4j.create(perExample, new long[] {perExample.length, 1}, DataType.DOUBLE).castTo(preOutput.dataType());
    }

    @Override
    public INDArray computeGradient(INDArray labels, INDArray preOutput, IActivation activationFn, INDArray mask) {
        return evaluate(labels, preOutput, activationFn, mask, true).activationGradient();
    }

    @Override
    public Pair<Double, INDArray> computeGradientAndScore(INDArray labels, INDArray preOutput, IActivation activationFn,
                                                          INDArray mask, boolean average) {
        Evaluation e = evaluate(labels, preOutput, activationFn, mask, true);
        return new Pair<>(sum(e.perExample()) / (average ? e.perExample().length : 1), e.activationGradient());
    }

    private static double sum(double[] values) {
        double s = 0;
        for (double v : values) {
            s += v;
        }
        return s;
    }

    @Override
    public String name() {
        return "LearnedLoss" + Arrays.toString(layers).replace(" ", "");
    }

    @Override
    public String toString() {
        return name() + "(" + features + ", " + prediction.name().toLowerCase(Locale.ROOT) + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LearnedLossFunction l && Arrays.equals(layers, l.layers) && activation.equals(l.activation)
                && output.equals(l.output) && bias == l.bias && features.equals(l.features)
                && reduction.equals(l.reduction) && prediction == l.prediction && Arrays.equals(phi, l.phi);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(layers), features, prediction, Arrays.hashCode(phi));
    }
}
