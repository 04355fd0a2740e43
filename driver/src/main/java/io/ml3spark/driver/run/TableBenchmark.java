package io.ml3spark.driver.run;

import io.ml3spark.bench.InMemoryTableExperiment;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.table.TaskFamilyTable;
import io.ml3spark.driver.train.MetaTrainer;
import io.ml3spark.driver.train.TaskPlacement;
import io.ml3spark.driver.train.TrainingState;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.table.OutlierLines;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench-table}: meta-training on a task table kept on the executors against the same
 * experiment fed by its family generated in memory ({@link InMemoryTableExperiment}), runs
 * alternating, medians reported; with the records Spark read per table run and the driver's heap.
 */
public final class TableBenchmark {
    private final JavaSparkContext sc;
    private final File config;
    private final PrintStream out;
    private final AtomicLong recordsRead = new AtomicLong();

    public TableBenchmark(JavaSparkContext sc, File config, PrintStream out) {
        this.sc = sc;
        this.config = config;
        this.out = out;
        sc.sc().addSparkListener(new SparkListener() {
            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.taskMetrics() != null) {
                    recordsRead.addAndGet(end.taskMetrics().inputMetrics().recordsRead());
                }
            }
        });
    }

    /** One row of the table: medians over the runs. */
    private record Row(int tasks, long rows, double readSeconds, double tableTasksPerSecond, double memoryTasksPerSecond,
                       double recordsReadPerRow, double driverHeapMb) {
    }

    /** Runs each family size in {@code taskCounts} ({@code rows} rows, {@code features} features) {@code runs} times. */
    public void run(List<Integer> taskCounts, int rows, int features, int iterations, int runs, List<String> overrides,
                    Path work) throws Exception {
        OutlierLines family = new OutlierLines(features, rows, 0.1, 0.1, 5);
        List<Row> table = new ArrayList<>();
        for (int tasks : taskCounts) {
            Path path = work.resolve("outlier-lines-" + tasks + "x" + rows + "x" + features);
            if (!Files.exists(path)) {
                TaskFamilyTable.write(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), family, 0, tasks,
                        Math.max(1, tasks / 10_000), path.toString());
            }
            List<String> all = new ArrayList<>(overrides);
            all.addAll(List.of("table-regression.table.path=\"" + path + "\"", "meta-train.iterations=" + iterations,
                    "meta-train.checkpoint-every=" + iterations));
            RunConfig cfg = RunConfig.load(config, all);
            table.add(measure(cfg, family, tasks, runs));
        }
        out.printf("%n| tasks x rows | table read, s | table, tasks/s | in memory, tasks/s | table / in memory"
                + " | records read / rows | driver heap after GC, MB |%n|---|---|---|---|---|---|---|%n");
        for (Row r : table) {
            out.printf(Locale.ROOT, "| %,d x %d | %.1f | %.0f | %.0f | %.2f | %.2f | %.0f |%n", r.tasks(), r.rows() / r.tasks(),
                    r.readSeconds(), r.tableTasksPerSecond(), r.memoryTasksPerSecond(),
                    r.tableTasksPerSecond() / r.memoryTasksPerSecond(), r.recordsReadPerRow(), r.driverHeapMb());
        }
    }

    private Row measure(RunConfig cfg, OutlierLines family, int tasks, int runs) {
        TableExperiment experiment = (TableExperiment) cfg.experiment();
        // A first read gives the anchor the table's feature scaling.
        RunTable first = RunTable.read(sc, experiment, out);
        Experiment anchor = new InMemoryTableExperiment(first.experiment(), family, 0, tasks);
        long rows = first.table().rowCount();
        first.table().release();
        TaskPlacement anchorPlacement = TaskPlacement.generated(experiment.tasksPerIteration(),
                experiment.setup().tasksPerPartition());
        // Both sources once unmeasured, so that no measured run pays for the JIT's warm-up.
        tasksPerSecond(cfg, anchor, anchorPlacement);
        RunTable warm = RunTable.read(sc, experiment, out);
        tasksPerSecond(cfg, warm.experiment(), warm.placement());
        warm.table().release();
        double[] read = new double[runs];
        double[] onTable = new double[runs];
        double[] inMemory = new double[runs];
        double[] recordsPerRow = new double[runs];
        double[] heap = new double[runs];
        for (int r = 0; r < runs; r++) {
            if (r % 2 == 1) {
                inMemory[r] = tasksPerSecond(cfg, anchor, anchorPlacement);
            }
            long before = recordsRead.get();
            long t0 = System.nanoTime();
            RunTable table = RunTable.read(sc, experiment, out);
            read[r] = (System.nanoTime() - t0) / 1e9;
            onTable[r] = tasksPerSecond(cfg, table.experiment(), table.placement());
            recordsPerRow[r] = (double) (recordsRead.get() - before) / rows;
            heap[r] = heapAfterGcMb();
            table.table().release();
            if (r % 2 == 0) {
                inMemory[r] = tasksPerSecond(cfg, anchor, anchorPlacement);
            }
            out.printf(Locale.ROOT, "[bench-table] %,d tasks, run %d: read %.1f s, table %.0f tasks/s, in memory %.0f"
                    + " tasks/s, %.2f records read per row%n", tasks, r + 1, read[r], onTable[r], inMemory[r],
                    recordsPerRow[r]);
        }
        return new Row(tasks, rows, median(read), median(onTable), median(inMemory), median(recordsPerRow), median(heap));
    }

    private double tasksPerSecond(RunConfig cfg, Experiment experiment, TaskPlacement placement) {
        long[] tasks = {0};
        long t0 = System.nanoTime();
        TrainingState start = MetaTrainer.initial(experiment.initialPhi(JvmBackend.INSTANCE, cfg.seed()));
        new MetaTrainer(sc, experiment, cfg.backend(), cfg.seed(), cfg.metaTrain(), null, placement)
                .train(start, (it, g, applied, seconds) -> tasks[0] += g.tasks(), state -> { });
        return tasks[0] / ((System.nanoTime() - t0) / 1e9);
    }

    private static double heapAfterGcMb() {
        Runtime rt = Runtime.getRuntime();
        System.gc();
        return (rt.totalMemory() - rt.freeMemory()) / 1048576.0;
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
}
