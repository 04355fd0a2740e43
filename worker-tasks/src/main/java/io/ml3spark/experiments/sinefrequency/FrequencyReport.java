package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** The frequency error per step, theta vs SGD steps, and the loss landscape over theta on the first task (Fig. 5 left). */
record FrequencyReport(FrequencyMetaTest metaTest) implements MetaTestReporter {
    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        int tasks = metaTest.settings().frequencies().length;
        double[][] learned = measured.rows("test", tasks, true, "theta");
        double[][] baseline = measured.rows("test", tasks, false, "theta");
        return new MetaTestReport(List.of(new MetaTestResult("test", "frequency_error", MetricDirection.LOWER_IS_BETTER,
                errors(learned), errors(baseline), null)), figures(backend, phi, learned, baseline));
    }

    private double[][] errors(double[][] theta) {
        double[] frequencies = metaTest.settings().frequencies();
        double[][] e = new double[theta.length][];
        for (int t = 0; t < theta.length; t++) {
            e[t] = new double[theta[t].length];
            for (int s = 0; s < e[t].length; s++) {
                e[t][s] = Math.abs(theta[t][s] - frequencies[t]);
            }
        }
        return e;
    }

    private List<Figure> figures(Backend backend, double[] phi, double[][] learned, double[][] baseline) {
        FrequencyTestSettings test = metaTest.settings();
        double[] steps = new double[test.steps() + 1];
        for (int s = 0; s < steps.length; s++) {
            steps[s] = s;
        }
        List<Figure.Series> thetaSeries = new ArrayList<>();
        for (int t = 0; t < learned.length; t++) {
            String w = "w = " + test.frequencies()[t];
            thetaSeries.add(new Figure.Series("learned loss, " + w, steps, learned[t]));
            thetaSeries.add(new Figure.Series("MSE, " + w, steps, baseline[t]));
            double[] target = new double[steps.length];
            Arrays.fill(target, test.frequencies()[t]);
            thetaSeries.add(new Figure.Series("true frequency " + test.frequencies()[t], steps, target));
        }
        double[][] landscape = metaTest.landscape(backend, phi);
        double[] thetas = test.landscapeThetas();
        return List.of(
                new Figure("theta-steps", "frequency theta vs SGD steps from " + test.initialTheta()
                        + " (lr " + test.learningRate() + ")", "gradient steps", "theta", thetaSeries),
                new Figure("landscape", "loss over theta at frequency " + test.frequencies()[0]
                        + " (each scaled to [0, 1])", "theta", "loss (scaled)", List.of(
                        new Figure.Series("learned loss", thetas, scaled(landscape[0])),
                        new Figure.Series("MSE", thetas, scaled(landscape[1])))));
    }

    private static double[] scaled(double[] v) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double d : v) {
            lo = Math.min(lo, d);
            hi = Math.max(hi, d);
        }
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = hi > lo ? (v[i] - lo) / (hi - lo) : 0.0;
        }
        return out;
    }
}
