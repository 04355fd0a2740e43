package io.ml3spark.driver.run;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.table.TableRecord;
import io.ml3spark.driver.table.TaskTable;
import io.ml3spark.driver.train.TaskPlacement;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.experiments.table.TableSetup;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

import java.io.PrintStream;

/**
 * A table experiment's table as a run uses it: read once and kept on the executors, the
 * experiment completed with its scaling and held-out tasks, and the placement of each
 * iteration's Spark tasks on its partitions. A fresh run records the table in
 * {@value TableRecord#FILE}; a resume refuses a table whose content changed since.
 */
public record RunTable(TaskTable table, TableRecord record, TableExperiment experiment, TaskPlacement placement) {
    public static RunTable read(JavaSparkContext sc, TableExperiment experiment, RunClaim claim, PrintStream out) {
        RunTable read = read(sc, experiment, out);
        RunDirectory dir = claim.directory();
        TableRecord now = read.record();
        if (claim.resumed() && dir.exists(TableRecord.FILE)) {
            String file = dir.uri() + "/" + TableRecord.FILE;
            TableRecord then = TableRecord.decode(dir.read(TableRecord.FILE), file);
            if (!then.fingerprint().equals(now.fingerprint()) || !then.features().equals(now.features())) {
                read.table().release();
                throw new ConfigError("table " + now.path() + " changed since the run started: its fingerprint is "
                        + now.fingerprint() + " (" + now.tasks() + " tasks, " + now.rows() + " rows), " + file
                        + " records " + then.fingerprint() + " (" + then.tasks() + " tasks, " + then.rows() + " rows); a"
                        + " resume must read the same table: restore it, or start a new run");
            }
        } else {
            dir.write(TableRecord.FILE, now.encode());
        }
        return read;
    }

    /** Reads the table of {@code experiment} and completes it, for training or a meta-test. */
    public static RunTable read(JavaSparkContext sc, TableExperiment experiment, PrintStream out) {
        TableSetup setup = experiment.setup();
        long t0 = System.nanoTime();
        TaskTable table = TaskTable.read(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), setup);
        out.printf("[table] read %s: %d tasks (%d to meta-train, %d held out), %d rows, %d features, %d partitions,"
                        + " fingerprint %s (%.1f s)%n", setup.source().path(), table.taskCount(), table.metaTrainTasks(),
                table.taskCount() - table.metaTrainTasks(), table.rowCount(), table.features().size(), setup.partitions(),
                table.fingerprint(), (System.nanoTime() - t0) / 1e9);
        TableExperiment completed = experiment.withTable(table.scaling(), table.heldOut());
        return new RunTable(table, TableRecord.of(table, setup.source().path()), completed, TaskPlacement.table(table.partitions(), table.metaTrainTasksByPartition(),
                setup.tasksPerPartition()));
    }
}
