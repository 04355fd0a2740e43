package io.ml3spark.driver.dl4j;

import io.ml3spark.dl4j.LearnedLossFunction;
import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.cluster.SparkHome;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.dataset.DataSet;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's parameter averaging with a learned loss in separate executor JVMs
 * ({@code local-cluster[2,1,1024]}): the loss function travels inside the network's
 * configuration to the executors, and RDDs are used directly there (not exported to files).
 */
class Dl4jLocalClusterIT {
    @Test
    @Timeout(value = 4, unit = TimeUnit.MINUTES)
    void aNetworkTrainsWithALearnedLossInExecutorJvms() {
        LearnedLossFunction loss = SparkNetworkTrainingTest.sineLoss();
        List<DataSet> data = SparkNetworkTrainingTest.sine(8);
        DataSet all = DataSet.merge(data);
        try (JavaSparkContext cluster = new JavaSparkContext(ShortSineRun.sparkConf("local-cluster[2,1,1024]",
                "Dl4jLocalClusterIT").set("spark.jars", SparkHome.appJar().toString()))) {
            SparkNetworkTraining training = new SparkNetworkTraining(cluster, 16, 2, 7);
            SparkDl4jMultiLayer spark = training.start(SparkNetworkTrainingTest.network(loss));
            double before = spark.getNetwork().score(all);
            MultiLayerNetwork net = null;
            for (int epoch = 0; epoch < 15; epoch++) {
                net = spark.fit(cluster.parallelize(data, 2));
            }
            double after = net.score(all);
            assertTrue(after < 0.9 * before, "the learned loss falls under averaged SGD: " + before + " -> " + after);
            assertEquals(loss, ((OutputLayer) net.getLayerWiseConfigurations().getConf(1).getLayer()).getLossFn());
        }
    }
}
