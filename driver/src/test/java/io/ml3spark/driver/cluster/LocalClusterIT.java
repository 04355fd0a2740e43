package io.ml3spark.driver.cluster;

import io.ml3spark.driver.cluster.ExecutorProcesses.ExecutorProcess;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.ml3.MetaGradient;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
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
    private static RunConfig cfg;
    private static ShortSineRun.Training local;
    /** Two groups of 4 tasks, per-iteration mode on local[2]: the reference of the barrier-mode fault test. */
    private static RunConfig twoGroups;
    private static ShortSineRun.Training localTwoGroups;
    private static JavaSparkContext cluster;

    @BeforeAll
    static void trainLocallyThenStartTheCluster() {
        cfg = ShortSineRun.config();
        local = ShortSineRun.trainLocally(cfg);
        twoGroups = ShortSineRun.config("meta-train.tasks-per-spark-task=4");
        localTwoGroups = ShortSineRun.trainLocally(ShortSineRun.config("meta-train.tasks-per-spark-task=4",
                "meta-train.execution=per-iteration"));
        // Spark's security on, as the deploy path runs it: the barrier exchange must work across JVMs there too.
        cluster = new JavaSparkContext(ShortSineRun.sparkConf("local-cluster[2,1,1024]", "LocalClusterIT")
                .set("spark.jars", SparkHome.appJar() + "," + SparkHome.workerTasksTestJar())
                .set("spark.authenticate", "true")
                .set("spark.authenticate.secret", java.util.UUID.randomUUID().toString())
                .set("spark.network.crypto.enabled", "true")
                .set("spark.io.encryption.enabled", "true"));
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.stop();
        }
    }

    @Test
    @Order(1)
    void metaTrainingInExecutorJvmsEqualsLocalMetaTraining() throws InterruptedException {
        ShortSineRun.assertSameTraining(local, ShortSineRun.train(cluster, cfg));
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

    /**
     * The fault test of issue 4: an executor JVM is killed (SIGKILL, by PID) while it is
     * computing a task of iteration 3; Spark reruns the task elsewhere and the run ends with
     * phi bit-identical to the fault-free local[2] run.
     */
    @Test
    @Order(3)
    void executorKilledMidIterationLeavesPhiBitIdentical(@org.junit.jupiter.api.io.TempDir java.nio.file.Path markers)
            throws Exception {
        io.ml3spark.experiments.Experiment stalling = new io.ml3spark.experiments.StallingExperiment(cfg.experiment(), 3,
                markers, 20_000);
        java.util.concurrent.CompletableFuture<double[]> run = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                new MetaTrainer(cluster, stalling, "jvm", cfg.seed(), cfg.metaTrain())
                        .train(MetaTrainer.initial(stalling.initialPhi(io.ml3spark.tensor.backend.JvmBackend.INSTANCE,
                                cfg.seed())), (it, g, applied, s) -> { }, state -> { }).phi());
        double[] phi = killTheStalledExecutorThenJoin(markers, run);
        org.junit.jupiter.api.Assertions.assertArrayEquals(local.phi(), phi, "phi after losing an executor mid-iteration");
    }

    /**
     * The barrier-mode fault test: iterations 1-5 run as one barrier segment of two tasks, and
     * the executor computing iteration 3 is killed; Spark reruns the whole segment and phi ends
     * bit-identical to the per-iteration run on local[2].
     */
    @Test
    @Order(4)
    void executorKilledMidSegmentInBarrierModeLeavesPhiBitIdentical(@org.junit.jupiter.api.io.TempDir java.nio.file.Path markers)
            throws Exception {
        io.ml3spark.experiments.Experiment stalling = new io.ml3spark.experiments.StallingExperiment(
                twoGroups.experiment(), 3, markers, 20_000);
        MetaTrainer trainer = new MetaTrainer(cluster, stalling, "jvm", twoGroups.seed(),
                twoGroups.metaTrain().withExecution(io.ml3spark.driver.config.MetaTrainSettings.Execution.BARRIER));
        java.util.concurrent.CompletableFuture<double[]> run = java.util.concurrent.CompletableFuture.supplyAsync(() ->
                trainer.train(MetaTrainer.initial(stalling.initialPhi(io.ml3spark.tensor.backend.JvmBackend.INSTANCE,
                        twoGroups.seed())), (it, g, applied, s) -> { }, state -> { }).phi());
        double[] phi = killTheStalledExecutorThenJoin(markers, run);
        org.junit.jupiter.api.Assertions.assertArrayEquals(localTwoGroups.phi(), phi,
                "phi after losing an executor mid-segment");
    }

    /**
     * Waits for the stalled task of iteration 3 to name its JVM, kills that executor while the
     * run is in flight, and joins the run.
     */
    private static double[] killTheStalledExecutorThenJoin(java.nio.file.Path markers,
                                                           java.util.concurrent.CompletableFuture<double[]> run)
            throws Exception {
        java.nio.file.Path pidFile = markers.resolve("stalled-pid");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!java.nio.file.Files.exists(pidFile)) {
            assertTrue(System.nanoTime() < deadline && !run.isDone(), "no task of iteration 3 started");
            Thread.sleep(20);
        }
        long pid = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
        ExecutorProcess victim = ExecutorProcesses.await(cluster.sc().applicationId(), 2, Duration.ofSeconds(30)).stream()
                .filter(e -> e.pid() == pid).findFirst().orElseThrow(() -> new AssertionError("task ran in pid " + pid
                        + ", not an executor JVM"));
        assertFalse(run.isDone(), "iteration 3 is still in flight when the executor dies");
        ExecutorProcesses.kill(victim, Duration.ofSeconds(20));
        return run.get(3, TimeUnit.MINUTES);
    }

    private static Set<String> sparkExecutorIds() {
        return Set.copyOf(scala.collection.JavaConverters.seqAsJavaList(cluster.sc().getExecutorIds()));
    }
}
