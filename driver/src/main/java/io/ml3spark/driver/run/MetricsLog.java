package io.ml3spark.driver.run;

import io.ml3spark.driver.train.IterationListener;
import io.ml3spark.ml3.MetaGradient;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every outer iteration into metrics.csv and prints a progress line with rate and ETA
 * every {@code every} iterations. The file is replaced whole (so it is always complete) at
 * progress lines, at most once every {@link #FLUSH_SECONDS} (a long run's file is hundreds of
 * kilobytes), and whenever {@link #flush} is called: before every checkpoint and at the end. Each
 * row is formatted once, when its iteration ends. A resumed run continues the file from its
 * checkpoint's iteration.
 */
public final class MetricsLog implements IterationListener {
    static final String FILE = "metrics.csv";
    static final String HEADER = "iteration,task_loss,tasks,skipped_tasks,seconds";

    private final RunDirectory dir;
    private final int total;
    private final int every;
    private final PrintStream progress;
    private final List<double[]> rows;
    private final double secondsBefore;
    private final int firstIteration;
    private long tasks;
    /** metrics.csv's text: the header and every row so far. */
    private final StringBuilder csv = new StringBuilder(HEADER).append('\n');
    private long lastFlush = System.nanoTime();
    /** The length of {@link #csv} when the file was last replaced: an unchanged file is not written again. */
    private int flushedLength = -1;
    static final double FLUSH_SECONDS = 1.0;

    private MetricsLog(RunDirectory dir, int total, int every, PrintStream progress, List<double[]> rows) {
        this.dir = dir;
        this.total = total;
        this.every = every;
        this.progress = progress;
        this.rows = rows;
        this.secondsBefore = rows.isEmpty() ? 0 : rows.get(rows.size() - 1)[4];
        this.firstIteration = rows.size() + 1;
        rows.forEach(this::append);
    }

    public static MetricsLog fresh(RunDirectory dir, int total, int every, PrintStream progress) {
        return new MetricsLog(dir, total, every, progress, new ArrayList<>());
    }

    /** The rows of the run's metrics.csv (none if it does not exist); a malformed line is an error naming it. */
    public static List<double[]> readRows(RunDirectory dir) {
        List<double[]> rows = new ArrayList<>();
        if (!dir.exists(FILE)) {
            return rows;
        }
        String file = dir.uri() + "/" + FILE;
        String[] lines = new String(dir.read(FILE), StandardCharsets.UTF_8).split("\n");
        if (!lines[0].equals(HEADER)) {
            throw new RunDirectoryError(file + " does not start with the header '" + HEADER + "'");
        }
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split(",");
            double[] row = new double[f.length];
            try {
                for (int j = 0; j < f.length; j++) {
                    row[j] = Double.parseDouble(f[j]);
                }
            } catch (NumberFormatException e) {
                row = null;
            }
            if (row == null || row.length != 5 || row[0] != i) {
                throw new RunDirectoryError(file + " line " + (i + 1) + " is not the row of iteration " + i + ": '"
                        + lines[i] + "'");
            }
            rows.add(row);
        }
        return rows;
    }

    /** Continues a resumed run's metrics after {@code iteration}, from its {@code rows} (later ones are dropped: they are recomputed). */
    public static MetricsLog resume(RunDirectory dir, List<double[]> rows, int iteration, int total, int every,
                                    PrintStream progress) {
        return new MetricsLog(dir, total, every, progress, new ArrayList<>(rows.subList(0, iteration)));
    }

    @Override
    public void iterationDone(int iteration, MetaGradient g, boolean applied, double seconds) {
        double loss = g.tasks() > 0 ? g.meanTaskLoss() : Double.NaN;
        double[] row = {iteration, loss, g.tasks(), g.skippedTasks(), secondsBefore + seconds};
        rows.add(row);
        append(row);
        tasks += g.tasks() + g.skippedTasks();
        if (g.skippedTasks() > 0) {
            progress.printf("[train] iter %d: skipped %d task(s) with a non-finite meta-gradient%s%n", iteration,
                    g.skippedTasks(), applied ? "" : "; no finite task left, phi unchanged");
        }
        if (iteration % every == 0 || iteration == total) {
            int done = iteration - firstIteration + 1;
            double eta = seconds / done * (total - iteration);
            progress.printf("[train] iter %d/%d  task loss %.5f  %.1f tasks/s  elapsed %s  eta %s%n", iteration, total,
                    loss, tasks / seconds, clock(secondsBefore + seconds), clock(eta));
            if (iteration == total || System.nanoTime() - lastFlush >= FLUSH_SECONDS * 1e9) {
                flush();
            }
        }
    }

    public void flush() {
        if (csv.length() != flushedLength) {
            dir.write(FILE, csv.toString());
            flushedLength = csv.length();
        }
        lastFlush = System.nanoTime();
    }

    private void append(double[] r) {
        csv.append((long) r[0]).append(',').append(r[1]).append(',').append((long) r[2]).append(',')
                .append((long) r[3]).append(',').append(milliseconds(r[4])).append('\n');
    }

    /** {@code seconds} with three decimals ({@code %.3f}, rounded half up), without a formatter per row. */
    static String milliseconds(double seconds) {
        long ms = Math.round(seconds * 1000);
        long fraction = ms % 1000;
        return ms / 1000 + "." + (fraction < 10 ? "00" : fraction < 100 ? "0" : "") + fraction;
    }

    /** Rows {iteration, task loss, tasks, skipped, seconds}. */
    public List<double[]> rows() {
        return rows;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on: elapsed and remaining time in progress lines. */
    public static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
