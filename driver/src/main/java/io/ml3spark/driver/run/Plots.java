package io.ml3spark.driver.run;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * PNG plots of a run: the meta-training curve, the meta-test curves (paper Fig. 2 c, d) and
 * the figures an experiment adds (with their data as CSV).
 */
public final class Plots {
    private Plots() {
    }

    static {
        System.setProperty("java.awt.headless", "true");
    }

    public static byte[] metaTraining(String experiment, List<double[]> metrics) {
        double[] it = new double[metrics.size()];
        double[] loss = new double[metrics.size()];
        for (int i = 0; i < it.length; i++) {
            it[i] = metrics.get(i)[0];
            loss[i] = metrics.get(i)[1];
        }
        XYChart chart = chart(experiment + ": meta-training", "outer iteration", "task loss after inner loop");
        chart.addSeries("meta-train task loss", it, loss).setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        return png(chart);
    }

    public static byte[] metaTest(String experiment, MetaTestResult r) {
        return metaTest(experiment + ": meta-test on " + r.taskSet() + " tasks (mean of " + r.tasks() + ")", r, "task");
    }

    /**
     * Meta-test curves, one row of {@code r} per {@code unit} (a task, or a run's mean over its
     * tasks): their mean, and the lowest and highest at each step, dashed.
     */
    public static byte[] metaTest(String title, MetaTestResult r, String unit) {
        double[] steps = new double[r.steps() + 1];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = s;
        }
        XYChart chart = chart(title, "gradient steps", r.metric());
        curveWithSpread(chart, "SGD on the learned loss (ML3)", steps, r.learned(), unit);
        curveWithSpread(chart, "SGD on the task loss", steps, r.baseline(), unit);
        return png(chart);
    }

    /** The mean over the curves, and where there are several the lowest and highest at each step, dashed. */
    private static void curveWithSpread(XYChart chart, String label, double[] steps, double[][] curves, String unit) {
        boolean spread = curves.length > 1;
        XYSeries mean = chart.addSeries(label, steps, MetaTestResult.meanCurve(curves));
        mean.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
        if (!spread) {
            return;
        }
        double[] low = new double[steps.length];
        double[] high = new double[steps.length];
        for (int s = 0; s < steps.length; s++) {
            low[s] = Double.POSITIVE_INFINITY;
            high[s] = Double.NEGATIVE_INFINITY;
            for (double[] c : curves) {
                low[s] = Math.min(low[s], c[s]);
                high[s] = Math.max(high[s], c[s]);
            }
        }
        for (double[] bound : List.of(low, high)) {
            XYSeries line = chart.addSeries(label + (bound == low ? ", lowest " : ", highest ") + unit, steps, bound);
            line.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            line.setLineStyle(org.knowm.xchart.style.lines.SeriesLines.DASH_DASH);
            line.setLineColor(mean.getLineColor());
        }
    }

    /** An experiment's own figure, one line per series. */
    public static byte[] figure(Figure f) {
        XYChart chart = chart(f.title(), f.xAxis(), f.yAxis());
        for (Figure.Series s : f.series()) {
            XYSeries line = chart.addSeries(s.label(), s.x(), s.y());
            if (s.points()) {
                line.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            } else {
                line.setMarker(org.knowm.xchart.style.markers.SeriesMarkers.NONE);
            }
        }
        return png(chart);
    }

    private static XYChart chart(String title, String x, String y) {
        XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(x).yAxisTitle(y).build();
        // Below the plot: inside, it hides the ends of rising curves and lines at the top (a goal).
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        return chart;
    }

    private static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
