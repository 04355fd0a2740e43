package io.ml3spark.driver.dl4j;

import io.ml3spark.dl4j.LearnedLossFunction;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A DL4J network trained on Spark local[2] with a learned loss, by parameter averaging. */
class SparkNetworkTrainingTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("SparkNetworkTrainingTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"));
    }

    @AfterAll
    static void stop() {
        sc.stop();
    }

    static LearnedLossFunction sineLoss() {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, io.ml3spark.nn.Activation.RELU,
                io.ml3spark.nn.Activation.SOFTPLUS, false), LossInput.PREDICTION_TARGET);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(1), Init.XAVIER_UNIFORM, 0.0);
        return LearnedLossFunction.of(loss, phi, LearnedLossFunction.Prediction.OUTPUT);
    }

    static MultiLayerConfiguration network(LearnedLossFunction loss) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Sgd(0.5)).list()
                .layer(new DenseLayer.Builder().nIn(1).nOut(16).activation(Activation.TANH).build())
                .layer(new OutputLayer.Builder(loss).nIn(16).nOut(1).activation(Activation.IDENTITY).build())
                .build();
    }

    /** {@code batches} minibatches of 16 points of sin(x - pi). */
    static List<DataSet> sine(int batches) {
        SplittableRandom rng = new SplittableRandom(5);
        List<DataSet> out = new ArrayList<>();
        for (int b = 0; b < batches; b++) {
            double[] x = rng.doubles(16, -2, 2).toArray();
            double[] y = new double[16];
            for (int i = 0; i < 16; i++) {
                y[i] = Math.sin(x[i] - Math.PI);
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {16, 1}, DataType.FLOAT),
                    Nd4j.create(y, new long[] {16, 1}, DataType.FLOAT)));
        }
        return out;
    }

    @Test
    void aNetworkTrainsWithALearnedLossOnSparkAndSaves(@TempDir File dir) throws Exception {
        LearnedLossFunction loss = sineLoss();
        List<DataSet> data = sine(8);
        DataSet all = DataSet.merge(data);
        SparkNetworkTraining training = new SparkNetworkTraining(sc, 16, 2, 7);
        SparkDl4jMultiLayer spark = training.start(network(loss));
        double before = spark.getNetwork().score(all);
        JavaRDD<DataSet> rdd = sc.parallelize(data, 2);
        MultiLayerNetwork net = null;
        for (int epoch = 0; epoch < 15; epoch++) {
            net = spark.fit(rdd);
        }
        double after = net.score(all);
        assertTrue(after < 0.9 * before, "the learned loss falls under averaged SGD: " + before + " -> " + after);
        File saved = new File(dir, "net.zip");
        ModelSerializer.writeModel(net, saved, false);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(saved);
        assertEquals(loss, ((OutputLayer) restored.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn());
        assertEquals(after, restored.score(all), 1e-6 * Math.abs(after));
    }
}
