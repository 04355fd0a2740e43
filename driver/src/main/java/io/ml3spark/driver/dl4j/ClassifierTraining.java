package io.ml3spark.driver.dl4j;

import io.ml3spark.driver.run.MetricsLog;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * One classifier trained on Spark for some epochs, evaluated on held-out examples after every
 * epoch: the rows of its {@code metrics.csv}.
 */
public final class ClassifierTraining {
    /** After an epoch: the mean training score (the loss being minimised) and the test metrics. */
    public record Epoch(int epoch, double trainScore, double testAccuracy, double testNll, double seconds) {
        static final String CSV_HEADER = "epoch,train_score,test_accuracy,test_nll,seconds";

        String csv() {
            return epoch + "," + trainScore + "," + testAccuracy + "," + testNll + "," + seconds;
        }
    }

    /** The trained network and its epochs. */
    public record Result(MultiLayerNetwork network, List<Epoch> epochs) {
        public String metricsCsv() {
            StringBuilder s = new StringBuilder(Epoch.CSV_HEADER).append('\n');
            epochs.forEach(e -> s.append(e.csv()).append('\n'));
            return s.toString();
        }

        public Epoch last() {
            return epochs.get(epochs.size() - 1);
        }
    }

    private ClassifierTraining() {
    }

    public static Result train(JavaSparkContext sc, String label, MultiLayerConfiguration conf, Activation outputActivation,
                               List<DataSet> trainBatches, DataSet test, int epochs, int averagingFrequency, long seed,
                               PrintStream progress) {
        SparkNetworkTraining training = new SparkNetworkTraining(sc, (int) trainBatches.get(0).numExamples(),
                averagingFrequency, seed);
        SparkDl4jMultiLayer spark = training.start(conf);
        JavaRDD<DataSet> rdd = sc.parallelize(trainBatches, Math.max(1, sc.defaultParallelism())).cache();
        DataSet trainAll = DataSet.merge(trainBatches);
        List<Epoch> out = new ArrayList<>();
        long t0 = System.nanoTime();
        MultiLayerNetwork net = spark.getNetwork();
        for (int e = 1; e <= epochs; e++) {
            net = spark.fit(rdd);
            double[] metrics = accuracyAndNll(net, test, outputActivation);
            Epoch epoch = new Epoch(e, net.score(trainAll), metrics[0], metrics[1], (System.nanoTime() - t0) / 1e9);
            out.add(epoch);
            progress.printf("[train-model] %s epoch %d/%d  train score %.5f  test accuracy %.4f  test nll %.4f  elapsed %s%n",
                    label, e, epochs, epoch.trainScore(), epoch.testAccuracy(), epoch.testNll(),
                    MetricsLog.clock(epoch.seconds()));
        }
        rdd.unpersist();
        return new Result(net, out);
    }

    /** Accuracy and mean negative log-likelihood of the network's classes on {@code test}. */
    static double[] accuracyAndNll(MultiLayerNetwork net, DataSet test, Activation outputActivation) {
        INDArray out = net.output(test.getFeatures(), false).castTo(DataType.DOUBLE);
        double[] o = out.dup('c').data().asDouble();
        double[] y = test.getLabels().castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int n = (int) out.size(0);
        int c = (int) out.size(1);
        int correct = 0;
        double nll = 0;
        for (int i = 0; i < n; i++) {
            int best = 0;
            int label = 0;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) {
                max = Math.max(max, o[i * c + j]);
                if (o[i * c + j] > o[i * c + best]) {
                    best = j;
                }
                if (y[i * c + j] > y[i * c + label]) {
                    label = j;
                }
            }
            double logP;
            if (outputActivation == Activation.SOFTMAX) {
                logP = Math.log(Math.max(o[i * c + label], Double.MIN_NORMAL));
            } else {
                double sum = 0;
                for (int j = 0; j < c; j++) {
                    sum += Math.exp(o[i * c + j] - max);
                }
                logP = o[i * c + label] - max - Math.log(sum);
            }
            nll -= logP;
            correct += best == label ? 1 : 0;
        }
        return new double[] {(double) correct / n, nll / n};
    }
}
