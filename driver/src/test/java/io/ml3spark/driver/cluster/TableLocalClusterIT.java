package io.ml3spark.driver.cluster;

import io.ml3spark.driver.cluster.ExecutorProcesses.ExecutorProcess;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.RunTable;
import io.ml3spark.driver.table.TaskFamilyTable;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.driver.train.TrainingState;
import io.ml3spark.experiments.table.OutlierLines;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A table experiment in separate executor JVMs ({@code local-cluster[2,1,1024]}): the table's
 * partitions are kept in the executors, and when one executor is killed between iterations
 * Spark rebuilds its partitions from the table; phi ends bit-identical to {@code local[2]}.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TableLocalClusterIT {
    @TempDir
    Path dir;

    private RunConfig config(Path table, int iterations) {
        return RunConfig.load(new File("../conf/table-regression.conf"), List.of(
                "table-regression.table.path=\"" + table + "\"", "table-regression.rows.support=8",
                "table-regression.rows.query=8", "table-regression.tasks-per-partition=4",
                "meta-train.iterations=" + iterations));
    }

    /** Meta-trains on {@code table} up to 3 iterations, runs {@code between}, then goes on to 6. */
    private static double[] train(JavaSparkContext sc, RunTable table, RunConfig first, RunConfig second,
                                  Runnable between) {
        TrainingState start = MetaTrainer.initial(table.experiment().initialPhi(JvmBackend.INSTANCE, first.seed()));
        TrainingState mid = new MetaTrainer(sc, table.experiment(), first.backend(), first.seed(), first.metaTrain(), null,
                table.placement()).train(start, (it, g, applied, s) -> { }, s -> { });
        between.run();
        return new MetaTrainer(sc, table.experiment(), second.backend(), second.seed(), second.metaTrain(), null,
                table.placement()).train(mid, (it, g, applied, s) -> { }, s -> { }).phi();
    }

    @Test
    void aTableRunInExecutorJvmsEqualsLocalAndAKilledExecutorsPartitionsAreRebuilt() throws Exception {
        Path table = dir.resolve("lines");
        RunConfig three = config(table, 3);
        RunConfig six = config(table, 6);
        double[] local;
        try (JavaSparkContext sc = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "TableLocalClusterIT local"))) {
            TaskFamilyTable.write(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(),
                    new OutlierLines(2, 40, 0.1, 0.1, 5), 3, 120, 3, table.toString());
            RunTable read = RunTable.read(sc, (TableExperiment) three.experiment(), System.out);
            local = train(sc, read, three, six, () -> { });
        }
        SparkSession.clearDefaultSession();
        SparkSession.clearActiveSession();
        try (JavaSparkContext cluster = new JavaSparkContext(ShortSineRun.sparkConf("local-cluster[2,1,1024]",
                "TableLocalClusterIT").set("spark.jars", SparkHome.appJar() + "," + SparkHome.workerTasksTestJar()))) {
            java.util.concurrent.atomic.AtomicLong recordsRead = new java.util.concurrent.atomic.AtomicLong();
            cluster.sc().addSparkListener(new org.apache.spark.scheduler.SparkListener() {
                @Override
                public void onTaskEnd(org.apache.spark.scheduler.SparkListenerTaskEnd end) {
                    if (end.taskMetrics() != null) {
                        recordsRead.addAndGet(end.taskMetrics().inputMetrics().recordsRead());
                    }
                }
            });
            RunTable read = RunTable.read(cluster, (TableExperiment) three.experiment(), System.out);
            long rows = read.table().rowCount();
            long[] readBeforeKill = new long[1];
            double[] phi = train(cluster, read, three, six, () -> {
                try {
                    String app = cluster.sc().applicationId();
                    ExecutorProcess victim = ExecutorProcesses.await(app, 2, Duration.ofSeconds(30)).get(0);
                    readBeforeKill[0] = recordsRead.get();
                    ExecutorProcesses.kill(victim, Duration.ofSeconds(20));
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
                    while (executorIds(cluster).contains(victim.executorId()) || executorIds(cluster).size() < 2) {
                        assertTrue(System.nanoTime() < deadline, "Spark still lists " + executorIds(cluster));
                        Thread.sleep(200);
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertArrayEquals(local, phi, "phi on executor JVMs, one killed after iteration 3, equals local[2]'s");
            // Spark's listener bus is asynchronous: wait for the last task ends to be counted.
            cluster.sc().listenerBus().waitUntilEmpty();
            // Once, not twice (Spark's read of the Parquet footers adds a record or two).
            assertTrue(readBeforeKill[0] >= rows && readBeforeKill[0] < rows + rows / 100, "the table was read once"
                    + " before the kill: " + readBeforeKill[0] + " records for " + rows + " rows");
            assertTrue(recordsRead.get() > rows, "the lost partitions were rebuilt from the table: "
                    + (recordsRead.get() - rows) + " records read after the kill");
        }
    }

    private static Set<String> executorIds(JavaSparkContext sc) {
        return Set.copyOf(scala.collection.JavaConverters.seqAsJavaList(sc.sc().getExecutorIds()));
    }
}
