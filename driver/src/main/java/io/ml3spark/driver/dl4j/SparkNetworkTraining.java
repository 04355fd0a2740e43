package io.ml3spark.driver.dl4j;

import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;

/**
 * Trains a DL4J network (with any loss, a {@code LearnedLossFunction} included) on an RDD of
 * minibatches with DL4J's synchronous parameter averaging: every worker fits its share of
 * minibatches for {@code averagingFrequency} steps, then the driver averages the parameters.
 * On a non-local master the RDD is used directly ({@link RDDTrainingApproach#Direct}): DL4J's
 * default exports minibatches to a directory, and refuses a local file system there.
 */
public final class SparkNetworkTraining {
    private final JavaSparkContext sc;
    private final int batchSizePerWorker;
    private final int averagingFrequency;
    private final long seed;

    public SparkNetworkTraining(JavaSparkContext sc, int batchSizePerWorker, int averagingFrequency, long seed) {
        if (batchSizePerWorker < 1 || averagingFrequency < 1) {
            throw new IllegalArgumentException("batch size per worker and averaging frequency must be at least 1, got "
                    + batchSizePerWorker + " and " + averagingFrequency);
        }
        this.sc = sc;
        this.batchSizePerWorker = batchSizePerWorker;
        this.averagingFrequency = averagingFrequency;
        this.seed = seed;
    }

    /** A Spark wrapper of a network made from {@code conf}: each {@code fit(rdd)} is one pass over the RDD. */
    public SparkDl4jMultiLayer start(MultiLayerConfiguration conf) {
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        return new SparkDl4jMultiLayer(sc, net, trainingMaster());
    }


    private ParameterAveragingTrainingMaster trainingMaster() {
        boolean local = sc.master().startsWith("local[") || sc.master().equals("local");
        return new ParameterAveragingTrainingMaster.Builder(batchSizePerWorker)
                .averagingFrequency(averagingFrequency)
                .workerPrefetchNumBatches(0)
                .rngSeed(seed)
                .rddTrainingApproach(local ? RDDTrainingApproach.Export : RDDTrainingApproach.Direct)
                .build();
    }
}
