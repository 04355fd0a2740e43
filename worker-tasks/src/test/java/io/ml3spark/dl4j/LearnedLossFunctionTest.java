package io.ml3spark.dl4j;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.File;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnedLossFunctionTest {
    /** The sine experiment's loss: 2-50-50-1, softplus output, no biases, on (prediction, target). */
    private static LearnedLossFunction sineLoss(long seed, io.ml3spark.nn.Activation hidden) {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, hidden,
                io.ml3spark.nn.Activation.SOFTPLUS, false), LossInput.PREDICTION_TARGET);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(seed), Init.XAVIER_UNIFORM, 0.0);
        return LearnedLossFunction.of(loss, phi, LearnedLossFunction.Prediction.OUTPUT);
    }

    /**
     * The 10-class digit loss's shape: per class (log probability, target), summed over the classes;
     * tanh hidden units, so that finite differences meet no ReLU kink.
     */
    private static LearnedLossFunction digitLoss() {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, io.ml3spark.nn.Activation.TANH,
                io.ml3spark.nn.Activation.SOFTPLUS, true), LossInput.PER_CLASS_PREDICTION_TARGET);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(4), Init.XAVIER_UNIFORM, 0.01);
        return LearnedLossFunction.of(loss, phi, LearnedLossFunction.Prediction.LOG_SOFTMAX);
    }

    private static INDArray random(long seed, int rows, int cols) {
        return Nd4j.create(new SplittableRandom(seed).doubles((long) rows * cols, -1.5, 1.5).toArray(),
                new long[] {rows, cols}, DataType.DOUBLE);
    }

    private static INDArray oneHot(int rows, int classes) {
        INDArray y = Nd4j.zeros(DataType.DOUBLE, rows, classes);
        for (int i = 0; i < rows; i++) {
            y.putScalar(i, (i * 7) % classes, 1.0);
        }
        return y;
    }

    /** Central differences of the summed score with respect to each pre-activation, against computeGradient. */
    private static void assertGradientIsExact(LearnedLossFunction f, INDArray labels, INDArray preOut, IActivation act,
                                              INDArray mask) {
        INDArray analytic = f.computeGradient(labels, preOut, act, mask);
        // Relative to each entry, or to a hundredth of the largest where an entry is near zero (the
        // difference quotient's rounding, about 1e-16 * score / h, swamps tiny entries).
        double floor = 1e-2 * analytic.amaxNumber().doubleValue();
        double h = 1e-5;
        double worst = 0;
        for (int i = 0; i < preOut.length(); i++) {
            INDArray plus = preOut.dup();
            INDArray minus = preOut.dup();
            plus.putScalar(i, preOut.getDouble(i) + h);
            minus.putScalar(i, preOut.getDouble(i) - h);
            double numeric = (f.computeScore(labels, plus, act, mask, false) - f.computeScore(labels, minus, act, mask, false))
                    / (2 * h);
            double a = analytic.getDouble(i);
            worst = Math.max(worst, Math.abs(a - numeric) / Math.max(floor, Math.abs(numeric)));
        }
        assertTrue(worst < 1e-6, "worst relative error " + worst);
        assertTrue(analytic.norm2Number().doubleValue() > 1e-6, "a gradient that is not zero");
    }

    @Test
    void gradientWithRespectToPreActivationsMatchesFiniteDifferences() {
        LearnedLossFunction sine = sineLoss(1, io.ml3spark.nn.Activation.TANH);
        assertGradientIsExact(sine, random(2, 7, 1), random(3, 7, 1), Activation.IDENTITY.getActivationFunction(), null);
        assertGradientIsExact(sine, random(4, 5, 1), random(5, 5, 1), Activation.TANH.getActivationFunction(), null);
        INDArray mask = Nd4j.create(new double[] {1, 0, 1, 0.5, 1}, new long[] {5, 1}, DataType.DOUBLE);
        assertGradientIsExact(sine, random(6, 5, 1), random(7, 5, 1), Activation.IDENTITY.getActivationFunction(), mask);
        assertGradientIsExact(digitLoss(), oneHot(4, 10), random(8, 4, 10), Activation.IDENTITY.getActivationFunction(),
                null);
    }

    @Test
    void scoreIsTheProjectsOwnLearnedLossValue() {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, io.ml3spark.nn.Activation.RELU,
                io.ml3spark.nn.Activation.SOFTPLUS, false), LossInput.PREDICTION_TARGET);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(1), Init.XAVIER_UNIFORM, 0.0);
        LearnedLossFunction f = LearnedLossFunction.of(loss, phi, LearnedLossFunction.Prediction.OUTPUT);
        INDArray preOut = random(9, 6, 1);
        INDArray labels = random(10, 6, 1);
        TaskBatch batch = new TaskBatch(Tensor.zeros(JvmBackend.INSTANCE, 1, 6, 1),
                Tensor.constant(JvmBackend.INSTANCE, labels.data().asDouble(), 1, 6, 1));
        double own = loss.withConstants(JvmBackend.INSTANCE, phi)
                .value(Tensor.constant(JvmBackend.INSTANCE, preOut.data().asDouble(), 1, 6, 1), batch).item();
        IActivation identity = Activation.IDENTITY.getActivationFunction();
        assertEquals(own, f.computeScore(labels, preOut, identity, null, true), 1e-12);
        assertEquals(6 * own, f.computeScore(labels, preOut, identity, null, false), 1e-11);
        INDArray perExample = f.computeScoreArray(labels, preOut, identity, null);
        assertArrayEquals(new long[] {6, 1}, perExample.shape());
        assertEquals(6 * own, perExample.sumNumber().doubleValue(), 1e-11);
        assertEquals(f.computeScore(labels, preOut, identity, null, true),
                f.computeGradientAndScore(labels, preOut, identity, null, true).getFirst(), 0.0);
    }

    @Test
    void aLossFileLoadsWithThePredictionItsFeaturesName() {
        LearnedLoss digits = new LearnedLoss(new Mlp(new int[] {20, 8, 1}, io.ml3spark.nn.Activation.RELU,
                io.ml3spark.nn.Activation.SOFTPLUS, true), LossInput.predictionTarget("log_probability", "target", 10));
        double[] phi = digits.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(2), Init.XAVIER_UNIFORM, 0.0);
        byte[] file = LearnedLossFile.encode(new LearnedLossFile.Contents(digits, phi, "mnist-10class", 0, 3));
        LearnedLossFunction f = LearnedLossFunction.fromFile(file, "digits.safetensors");
        assertEquals(LearnedLossFunction.Prediction.LOG_SOFTMAX, f.prediction());
        assertEquals(LearnedLossFunction.of(digits, phi, LearnedLossFunction.Prediction.LOG_SOFTMAX), f);
        assertGradientIsExact(f, oneHot(3, 10), random(11, 3, 10), Activation.IDENTITY.getActivationFunction(), null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.computeScore(oneHot(3, 4),
                random(12, 3, 4), Activation.IDENTITY.getActivationFunction(), null, true));
        assertTrue(e.getMessage().contains("need 10 output columns, the network has 4"), e.getMessage());
    }

    @Test
    void aLossThatReadsTheNetworksInputIsRefused() {
        LearnedLoss withInput = new LearnedLoss(new Mlp(new int[] {3, 4, 1}, io.ml3spark.nn.Activation.RELU,
                io.ml3spark.nn.Activation.SOFTPLUS, true), LossInput.INPUT_PREDICTION_TARGET);
        double[] phi = new double[withInput.layout().size()];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LearnedLossFunction.of(withInput, phi, LearnedLossFunction.Prediction.OUTPUT));
        assertTrue(e.getMessage().contains("never sees"), e.getMessage());
    }

    private static MultiLayerNetwork regressionNetwork(LearnedLossFunction loss) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).list()
                .layer(new DenseLayer.Builder().nIn(1).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(16).nOut(1).activation(Activation.IDENTITY).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return net;
    }

    private static DataSet sine(int n) {
        double[] x = new SplittableRandom(5).doubles(n, -2, 2).toArray();
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.sin(x[i] - Math.PI);
        }
        return new DataSet(Nd4j.create(x, new long[] {n, 1}, DataType.FLOAT), Nd4j.create(y, new long[] {n, 1}, DataType.FLOAT));
    }

    @Test
    void aDl4jNetworkTrainsOnItAndSavesAndRestoresWithModelSerializer(@TempDir File dir) throws Exception {
        LearnedLossFunction loss = sineLoss(1, io.ml3spark.nn.Activation.RELU);
        MultiLayerNetwork net = regressionNetwork(loss);
        DataSet data = sine(64);
        double before = net.score(data);
        for (int i = 0; i < 100; i++) {
            net.fit(data);
        }
        double after = net.score(data);
        assertTrue(after < before, "the learned loss decreases under SGD: " + before + " -> " + after);

        MultiLayerConfiguration restoredConf = MultiLayerConfiguration.fromJson(net.getLayerWiseConfigurations().toJson());
        assertEquals(loss, ((org.deeplearning4j.nn.conf.layers.OutputLayer) restoredConf.getConf(1).getLayer()).getLossFn());

        File saved = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, saved, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(saved);
        assertEquals(loss, ((org.deeplearning4j.nn.conf.layers.OutputLayer) restored.getLayerWiseConfigurations()
                .getConf(1).getLayer()).getLossFn());
        assertEquals(net.params(), restored.params());
        assertEquals(after, restored.score(data), 1e-6 * Math.abs(after));
    }
}
