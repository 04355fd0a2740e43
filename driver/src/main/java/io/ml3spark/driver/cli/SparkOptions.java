package io.ml3spark.driver.cli;

import io.ml3spark.driver.train.SparkJobError;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * Where Spark runs: {@code local[*]} unless spark-submit or {@code --master} says otherwise.
 * Local runs start without the Spark UI unless {@code --spark-ui} or {@code spark.ui.enabled}
 * asks for it; a standalone master that nothing answers at is reported at once.
 */
public final class SparkOptions {
    static final int PROBE_TIMEOUT_MS = 5000;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: the one spark-submit set, else local[*]).")
    String master;

    @Option(names = "--spark-ui", description = "Start the Spark web UI for a local run too (it is off by default there).")
    boolean sparkUi;

    public JavaSparkContext start(String appName) {
        SparkConf conf = new SparkConf().setAppName(appName);
        if (master != null) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        String url = conf.get("spark.master");
        if (url.startsWith("local")) {
            if (!sparkUi && !conf.contains("spark.ui.enabled")) {
                conf.set("spark.ui.enabled", "false");
            }
            // In one JVM a failed task is reported by ml3 itself, in one line (its trace goes to the
            // error log file); Spark would print it twice more. Cluster executors keep their logs.
            Configurator.setLevel("org.apache.spark.executor.Executor", Level.OFF);
            Configurator.setLevel("org.apache.spark.scheduler.TaskSetManager", Level.OFF);
        }
        if (url.startsWith("spark://")) {
            probeStandaloneMaster(url);
        }
        conf.setIfMissing("spark.ui.showConsoleProgress", "false");
        conf.setIfMissing("spark.executorEnv.OMP_NUM_THREADS", "1");
        // Executors in their own JVMs get the Vector API module for the fast JVM kernels.
        conf.setIfMissing("spark.executor.extraJavaOptions", "--add-modules=jdk.incubator.vector");
        return new JavaSparkContext(conf);
    }

    /**
     * Fails unless some master of {@code url} (spark://host:port[,host:port]) accepts a TCP
     * connection: Spark itself would retry registering for a minute, then fail with a trace.
     */
    static void probeStandaloneMaster(String url) {
        List<String> problems = new ArrayList<>();
        for (String hostPort : url.substring("spark://".length()).split(",")) {
            int colon = hostPort.lastIndexOf(':');
            String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            int port;
            try {
                port = colon < 0 ? 7077 : Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new SparkJobError("Spark master URL " + url + " has a bad port in '" + hostPort + "'");
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), PROBE_TIMEOUT_MS);
                return;
            } catch (IOException e) {
                problems.add(hostPort + ": " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()));
            }
        }
        throw new SparkJobError("cannot reach the Spark master " + url + " (" + String.join("; ", problems)
                + "); is it running, and is the URL the one its log shows?");
    }
}
