package io.ml3spark.driver.cluster;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code spark-submit} as Spark's script runs it ({@code org.apache.spark.deploy.SparkSubmit}
 * from the Spark home's jars), with the driver bound to loopback and the application jar
 * and its {@code ml3} arguments last.
 */
public final class SparkSubmitCommand {
    private SparkSubmitCommand() {
    }

    public static List<String> of(List<String> submitOptions, List<String> ml3Args) {
        return of(submitOptions, ml3Args, List.of());
    }

    /** With Hadoop configuration directories on spark-submit's classpath, as spark-class puts HADOOP_CONF_DIR. */
    public static List<String> of(List<String> submitOptions, List<String> ml3Args, List<Path> confDirs) {
        List<String> args = new ArrayList<>(List.of(
                "--conf", "spark.driver.host=127.0.0.1",
                "--conf", "spark.driver.bindAddress=127.0.0.1",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1"));
        args.addAll(submitOptions);
        args.addAll(List.of("--class", "io.ml3spark.driver.Ml3", SparkHome.appJar().toString()));
        args.addAll(ml3Args);
        return SparkHome.javaCommand("org.apache.spark.deploy.SparkSubmit", args, confDirs);
    }
}
