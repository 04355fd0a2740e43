package io.ml3spark.driver.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The Spark home the build assembles from Maven ({@code driver/target/spark-home}, see the
 * driver pom) and what the multi-JVM tests launch from it: Spark's own classes as separate
 * JVMs, and the application jar as a user would submit it.
 */
public final class SparkHome {
    private SparkHome() {
    }

    /** {@code SPARK_HOME}, set by Failsafe together with SPARK_SCALA_VERSION and SPARK_LOCAL_IP. */
    public static Path dir() {
        String home = System.getenv("SPARK_HOME");
        if (home == null || !Files.isDirectory(Path.of(home, "jars"))) {
            throw new IllegalStateException("SPARK_HOME with jars/ not set (got " + home
                    + "): run the multi-JVM tests with mvn verify, which assembles driver/target/spark-home");
        }
        return Path.of(home);
    }

    /** The shaded application jar ({@code driver/target/ml3-spark.jar}). */
    public static Path appJar() {
        Path jar = Path.of(System.getProperty("ml3.app.jar", "target/ml3-spark.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("application jar not found: " + jar + " (mvn package builds it)");
        }
        return jar;
    }

    /** worker-tasks' test jar (fault-injecting experiments), for executors' classpath in fault tests. */
    public static Path workerTasksTestJar() {
        Path target = repository().resolve("worker-tasks/target");
        try (java.util.stream.Stream<Path> files = Files.list(target)) {
            return files.filter(p -> p.getFileName().toString().matches("worker-tasks-.*-tests\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no worker-tasks test jar in " + target
                            + " (mvn package builds it)"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The repository's root (tests run in {@code driver/}). */
    public static Path repository() {
        return Path.of("..").toAbsolutePath().normalize();
    }

    /** The sine-regression config of {@code conf/}. */
    public static Path sineConfig() {
        return repository().resolve("conf/sine-regression.conf");
    }

    /** The {@code --add-opens} flags Spark needs on Java 17 (the parent pom's spark.jvm.flags). */
    public static List<String> jvmFlags() {
        String flags = System.getProperty("ml3.spark.jvm.flags", "");
        return flags.isBlank() ? List.of() : Arrays.asList(flags.trim().split("\\s+"));
    }

    /** {@code java <flags> -cp $SPARK_HOME/jars/* mainClass args}, as Spark's scripts launch its daemons. */
    public static List<String> javaCommand(String mainClass, List<String> args) {
        return javaCommand(mainClass, args, List.of());
    }

    /** As above, with configuration directories on the classpath (as spark-class adds HADOOP_CONF_DIR). */
    public static List<String> javaCommand(String mainClass, List<String> args, List<Path> confDirs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        cmd.addAll(jvmFlags());
        cmd.add("-cp");
        StringBuilder cp = new StringBuilder();
        for (Path conf : confDirs) {
            cp.append(conf).append(':');
        }
        cmd.add(cp.append(dir().resolve("jars")).append("/*").toString());
        cmd.add(mainClass);
        cmd.addAll(args);
        return cmd;
    }
}
