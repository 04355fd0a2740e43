package io.ml3spark.driver.run;

import io.ml3spark.driver.train.IterationListener;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Records every outer iteration into metrics.csv (rewritten whole every {@code every}
 * iterations, so it is always a complete file) and prints a progress line with rate and ETA.
 */
public final class MetricsLog implements IterationListener {
    private final RunDirectory dir;
    private final int total;
    private final int every;
    private final PrintStream progress;
    private final List<double[]> rows = new ArrayList<>();
    private long tasks;

    public MetricsLog(RunDirectory dir, int total, int every, PrintStream progress) {
        this.dir = dir;
        this.total = total;
        this.every = every;
        this.progress = progress;
    }

    @Override
    public void iterationDone(int iteration, double taskLoss, long iterationTasks, double seconds) {
        rows.add(new double[] {iteration, taskLoss, seconds});
        tasks += iterationTasks;
        if (iteration % every == 0 || iteration == total) {
            double eta = seconds / iteration * (total - iteration);
            progress.printf("[train] iter %d/%d  task loss %.5f  %.1f tasks/s  elapsed %s  eta %s%n", iteration, total,
                    taskLoss, tasks / seconds, clock(seconds), clock(eta));
            flush();
        }
    }

    public void flush() {
        StringBuilder csv = new StringBuilder("iteration,task_loss,seconds\n");
        for (double[] r : rows) {
            csv.append((long) r[0]).append(',').append(r[1]).append(',').append(String.format("%.3f", r[2])).append('\n');
        }
        dir.write("metrics.csv", csv.toString());
    }

    public List<double[]> rows() {
        return rows;
    }

    private static String clock(double seconds) {
        long s = Math.round(seconds);
        return s >= 3600 ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String.format("%d:%02d", s / 60, s % 60);
    }
}
