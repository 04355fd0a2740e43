package io.ml3spark.driver.cli;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

/** Where Spark runs: {@code local[*]} unless spark-submit or {@code --master} says otherwise. */
public final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit set, else local[*]).")
    String master;

    public JavaSparkContext start(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        // Executors in their own JVMs get the Vector API module for the fast JVM kernels.
        conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        return new JavaSparkContext(conf);
    }
}
