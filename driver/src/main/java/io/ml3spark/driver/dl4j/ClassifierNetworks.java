package io.ml3spark.driver.dl4j;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.ILossFunction;

import java.util.List;

/** The DL4J classifiers {@code train-model} builds: an MLP, or LeNet-5 for 28x28 images. */
public final class ClassifierNetworks {
    public static final List<String> NAMES = List.of("mlp", "lenet");

    private ClassifierNetworks() {
    }

    /** The output layer's loss and activation: how the network's outputs reach its loss. */
    public record Head(ILossFunction loss, Activation activation) {
    }

    public static MultiLayerConfiguration build(String name, int rows, int cols, int classes, int[] hidden, Head head,
                                                double learningRate, long seed) {
        NeuralNetConfiguration.ListBuilder b = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).updater(new Sgd(learningRate)).list();
        switch (name) {
            case "mlp" -> {
                int in = rows * cols;
                for (int h : hidden) {
                    b.layer(new DenseLayer.Builder().nIn(in).nOut(h).activation(Activation.RELU).build());
                    in = h;
                }
                b.layer(new OutputLayer.Builder(head.loss()).nIn(in).nOut(classes).activation(head.activation()).build());
            }
            case "lenet" -> {
                if (rows < 28 || cols < 28) {
                    throw new IllegalArgumentException("lenet needs images of at least 28x28, the data has " + rows + "x"
                            + cols + " (use --model mlp)");
                }
                b.layer(new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.RELU).build())
                        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                        .layer(new ConvolutionLayer.Builder(5, 5).nOut(50).activation(Activation.RELU).build())
                        .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                        .layer(new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build())
                        .layer(new OutputLayer.Builder(head.loss()).nOut(classes).activation(head.activation()).build())
                        .setInputType(InputType.convolutionalFlat(rows, cols, 1));
            }
            default -> throw new IllegalArgumentException("unknown model '" + name + "', expected one of " + NAMES);
        }
        return b.build();
    }
}
