package io.ml3spark.driver.cluster;

import io.ml3spark.driver.cluster.ExecutorProcesses.ExecutorProcess;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Meta-training in separate executor JVMs ({@code local-cluster[2,1,1024]}: a master and two
 * workers in this JVM, each worker starting an executor JVM from the Spark home with the
 * application jar): closures, broadcasts and meta-gradients cross process boundaries, and
 * the result is the one of {@code local[2]}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class LocalClusterIT {
    static final List<String> SHORT_RUN = List.of("meta-train.iterations=5", "sine-regression.train-tasks.count=8",
            "sine-regression.train-tasks.resample=true", "meta-train.tasks-per-spark-task=2");

    private static RunConfig cfg;
    private static Training local;
    private static JavaSparkContext cluster;

    record Training(double[] phi, List<Double> losses) {
    }

    @BeforeAll
    static void trainLocallyThenStartTheCluster() {
        cfg = RunConfig.load(SparkHome.sineConfig().toFile(), SHORT_RUN);
        try (JavaSparkContext sc = new JavaSparkContext(sparkConf("local[2]"))) {
            local = train(sc, cfg);
        }
        cluster = new JavaSparkContext(sparkConf("local-cluster[2,1,1024]").set("spark.jars", SparkHome.appJar().toString()));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    static SparkConf sparkConf(String master) {
        return new SparkConf().setMaster(master).setAppName("LocalClusterIT")
                .set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1");
    }

    static Training train(JavaSparkContext sc, RunConfig cfg) {
        Experiment exp = cfg.experiment();
        List<Double> losses = new ArrayList<>();
        double[] phi = new MetaTrainer(sc, exp, cfg.backend(), cfg.seed(), cfg.metaTrain())
                .train(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed()), (it, loss, tasks, seconds) -> losses.add(loss));
        return new Training(phi, losses);
    }

    /**
     * Equal up to the order of floating-point sums: treeAggregate merges partition results
     * in completion order (relative differences of 1e-16 per step, compounded over 5 Adam steps).
     */
    static void assertSameTraining(Training expected, Training actual) {
        assertEquals(expected.losses().size(), actual.losses().size());
        for (int i = 0; i < expected.losses().size(); i++) {
            assertEquals(expected.losses().get(i), actual.losses().get(i), 1e-12 * Math.abs(expected.losses().get(i)),
                    "task loss of iteration " + (i + 1));
        }
        double scale = 0;
        double diff = 0;
        for (int i = 0; i < expected.phi().length; i++) {
            scale = Math.max(scale, Math.abs(expected.phi()[i]));
            diff = Math.max(diff, Math.abs(expected.phi()[i] - actual.phi()[i]));
        }
        assertTrue(scale > 0);
        assertTrue(diff <= 1e-12 * scale, "phi differs by " + diff + " (max |phi| " + scale + ")");
    }

    @Test
    @Order(1)
    void metaTrainingInExecutorJvmsEqualsLocalMetaTraining() throws InterruptedException {
        Training distributed = train(cluster, cfg);
        assertSameTraining(local, distributed);
        List<ExecutorProcess> executors = ExecutorProcesses.await(cluster.sc().applicationId(), 2, Duration.ofSeconds(30));
        assertEquals(2, executors.size(), executors.toString());
        for (ExecutorProcess e : executors) {
            assertNotEquals(ProcessHandle.current().pid(), e.pid());
            assertTrue(ProcessHandle.current().descendants().anyMatch(p -> p.pid() == e.pid()),
                    "executor " + e + " is a child JVM of a worker in this JVM");
        }
        assertEquals(sparkExecutorIds(), executors.stream().map(ExecutorProcess::executorId).collect(Collectors.toSet()));
    }

    /** The helper fault tests use: the executor found by PID is the one Spark loses when it is killed. */
    @Test
    @Order(2)
    void killingAnExecutorJvmByPidRemovesThatExecutorAndTheMasterReplacesIt() throws InterruptedException {
        String app = cluster.sc().applicationId();
        List<ExecutorProcess> before = ExecutorProcesses.await(app, 2, Duration.ofSeconds(30));
        ExecutorProcess victim = before.get(0);
        ExecutorProcesses.kill(victim, Duration.ofSeconds(20));
        assertFalse(ProcessHandle.of(victim.pid()).map(ProcessHandle::isAlive).orElse(false));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (sparkExecutorIds().contains(victim.executorId()) || sparkExecutorIds().size() < 2) {
            assertTrue(System.nanoTime() < deadline, "Spark still lists " + sparkExecutorIds() + " after killing " + victim);
            Thread.sleep(200);
        }
        List<ExecutorProcess> after = ExecutorProcesses.await(app, 2, Duration.ofSeconds(30));
        assertFalse(after.stream().anyMatch(e -> e.pid() == victim.pid() || e.executorId().equals(victim.executorId())),
                "replacement of " + victim + ": " + after);

        MetaGradient g = new MetaTrainer(cluster, cfg.experiment(), "jvm", cfg.seed(), cfg.metaTrain())
                .metaGradient(local.phi(), 6, MetaTrainer.taskGroups(8, 2));
        assertEquals(8, g.tasks(), "the context computes with the replacement executor");
    }

    private static Set<String> sparkExecutorIds() {
        return Set.copyOf(scala.collection.JavaConverters.seqAsJavaList(cluster.sc().getExecutorIds()));
    }
}
