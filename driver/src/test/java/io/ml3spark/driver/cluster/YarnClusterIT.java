package io.ml3spark.driver.cluster;

import org.apache.hadoop.yarn.conf.YarnConfiguration;
import org.apache.hadoop.yarn.server.MiniYARNCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code spark-submit --master yarn --deploy-mode cluster} for real, as Spark's own YARN
 * tests do it: an in-process MiniYARNCluster (resource manager + one node manager that
 * launches the application master and the executors as containers, i.e. separate JVMs), its
 * configuration written to a HADOOP_CONF_DIR, and SparkSubmit in a separate JVM. The driver
 * runs in the application master and gets the config file through {@code --files}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class YarnClusterIT {
    @TempDir
    static Path dir;
    private static MiniYARNCluster yarn;
    private static Path hadoopConfDir;

    @BeforeAll
    static void startYarn() throws Exception {
        YarnConfiguration conf = new YarnConfiguration();
        conf.set(YarnConfiguration.RM_HOSTNAME, "127.0.0.1");
        conf.set(YarnConfiguration.NM_ADDRESS, "127.0.0.1:0");
        conf.setInt(YarnConfiguration.NM_PMEM_MB, 6144);
        conf.setInt(YarnConfiguration.NM_VCORES, 4);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MINIMUM_ALLOCATION_MB, 256);
        conf.setInt(YarnConfiguration.RM_SCHEDULER_MAXIMUM_ALLOCATION_MB, 4096);
        conf.setBoolean(YarnConfiguration.NM_PMEM_CHECK_ENABLED, false);
        conf.setBoolean(YarnConfiguration.NM_VMEM_CHECK_ENABLED, false);
        // A nearly full disk must not mark the node unhealthy (and leave the application unscheduled).
        conf.setFloat(YarnConfiguration.NM_MAX_PER_DISK_UTILIZATION_PERCENTAGE, 99.9f);
        // The capacity scheduler's queues (capacity-scheduler.xml is not on the classpath): one queue, all of it.
        conf.set("yarn.scheduler.capacity.root.queues", "default");
        conf.set("yarn.scheduler.capacity.root.default.capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.maximum-capacity", "100");
        conf.set("yarn.scheduler.capacity.root.default.user-limit-factor", "1");
        conf.set("yarn.scheduler.capacity.root.default.maximum-am-resource-percent", "1.0");
        yarn = new MiniYARNCluster("YarnClusterIT", 1, 1, 1);
        yarn.init(conf);
        yarn.start();

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (yarn.getConfig().get(YarnConfiguration.RM_ADDRESS).endsWith(":0")) {
            assertTrue(System.nanoTime() < deadline, "the resource manager did not get an address");
            Thread.sleep(100);
        }
        hadoopConfDir = Files.createDirectories(dir.resolve("hadoop-conf"));
        try (OutputStream out = Files.newOutputStream(hadoopConfDir.resolve("yarn-site.xml"))) {
            yarn.getConfig().writeXml(out);
        }
        Files.writeString(hadoopConfDir.resolve("core-site.xml"), "<configuration/>\n");
        assertTrue(Files.readString(hadoopConfDir.resolve("yarn-site.xml")).contains(YarnConfiguration.RM_ADDRESS));
    }

    @AfterAll
    static void stopYarn() {
        if (yarn != null) {
            yarn.stop();
        }
    }

    @Test
    void sparkSubmitToYarnInClusterModeWritesTheRunDirectory() throws Exception {
        Path out = dir.resolve("run");
        String javaHome = System.getProperty("java.home");
        List<String> ml3 = new ArrayList<>(List.of("train", "--config", "sine-regression.conf", "--out", out.toString()));
        ml3.addAll(ShortSineRun.setOptions());
        List<String> command = SparkSubmitCommand.of(List.of("--master", "yarn", "--deploy-mode", "cluster",
                "--files", SparkHome.sineConfig().toString(),
                "--num-executors", "2", "--executor-cores", "1", "--executor-memory", "512m", "--driver-memory", "768m",
                // The node manager is this machine: Spark's jars are already there, no upload.
                "--conf", "spark.yarn.jars=local:" + SparkHome.dir().resolve("jars") + "/*",
                "--conf", "spark.yarn.stagingDir=" + dir.resolve("staging").toUri(),
                "--conf", "spark.yarn.appMasterEnv.JAVA_HOME=" + javaHome,
                "--conf", "spark.executorEnv.JAVA_HOME=" + javaHome,
                // Loopback only: the driver (in the application master) advertises 127.0.0.1, not the host name.
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.yarn.appMasterEnv.SPARK_LOCAL_HOSTNAME=127.0.0.1",
                "--conf", "spark.executorEnv.SPARK_LOCAL_IP=127.0.0.1",
                "--conf", "spark.yarn.submit.waitAppCompletion=true",
                "--conf", "spark.yarn.report.interval=2s"), ml3, List.of(hadoopConfDir));
        try (LaunchedProcess submit = LaunchedProcess.startWithEnv("spark-submit-yarn", command, dir.resolve("logs"),
                Map.of("HADOOP_CONF_DIR", hadoopConfDir.toString(), "YARN_CONF_DIR", hadoopConfDir.toString()))) {
            int exit = submit.waitFor(Duration.ofMinutes(5));
            assertEquals(0, exit, "spark-submit exit code; its output ends:\n" + submit.tail(80));
            assertTrue(submit.output().contains("final status: SUCCEEDED"), submit.tail(40));
        }
        double[] phi = RunDirectoryAssertions.assertCompleteRun(out, "sine-regression", 0, ShortSineRun.ITERATIONS);
        assertArrayEquals(ShortSineRun.trainLocally(ShortSineRun.config()).phi(), phi, "phi equals local[2] bit for bit");
    }
}
