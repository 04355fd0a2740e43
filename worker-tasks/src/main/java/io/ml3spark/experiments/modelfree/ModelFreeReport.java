package io.ml3spark.experiments.modelfree;

import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestReporter;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The model-free meta-test's results and figures, per policy architecture: the return curves
 * (learned loss against PPO, per target and seed, against environment steps), the wall time per
 * environment step of each method, and the environment steps each method's mean curve takes to
 * reach a given return: 90% of the way from the initial return to the smaller of the two
 * methods' final mean returns, a return both reach.
 */
record ModelFreeReport(ModelFreeMetaTest metaTest) implements MetaTestReporter {
    static final String STEPS_TO_RETURN = "env_steps_to_return";
    static final double FRACTION = 0.9;

    @Override
    public MetaTestReport report(Backend backend, double[] phi, long runSeed, MetaTestMeasurements measured) {
        ModelFreeTestSettings mt = metaTest.settings();
        int tasks = mt.targets().count() * mt.seeds();
        long unit = metaTest.stepsPerCheckpoint();
        List<MetaTestResult> results = new ArrayList<>();
        List<Figure> figures = new ArrayList<>();
        for (PolicyArchitecture arch : mt.architectures()) {
            String set = ModelFreeMetaTest.taskSet(arch);
            MetaTestResult returns = measured.result(set, tasks, set, ModelFreeMetaTest.RETURN, MetricDirection.HIGHER_IS_BETTER, null);
            results.add(returns);
            results.add(measured.result(set, tasks, set + "-wall-time", ModelFreeExperiment.SECONDS_PER_STEP,
                    MetricDirection.NEITHER, null));
            double[] learned = MetaTestResult.meanCurve(returns.learned());
            double[] ppo = MetaTestResult.meanCurve(returns.baseline());
            double threshold = threshold(learned, ppo);
            results.add(new MetaTestResult(set + "-steps-to-return", STEPS_TO_RETURN, MetricDirection.LOWER_IS_BETTER,
                    new double[][] {{unit * firstReaching(learned, threshold)}},
                    new double[][] {{unit * firstReaching(ppo, threshold)}}, null));
            figures.add(curves(metaTest.control().env().name(), arch, unit, returns, threshold));
        }
        return new MetaTestReport(results, figures);
    }

    /** 90% of the way from the shared initial mean return to the smaller final mean return. */
    static double threshold(double[] learned, double[] ppo) {
        double last = Math.min(learned[learned.length - 1], ppo[ppo.length - 1]);
        return learned[0] + FRACTION * (last - learned[0]);
    }

    /** The first checkpoint at which the curve is at least {@code threshold} (the last one reaches it by construction). */
    static int firstReaching(double[] curve, double threshold) {
        for (int i = 0; i < curve.length; i++) {
            if (curve[i] >= threshold) {
                return i;
            }
        }
        return curve.length - 1;
    }

    private static Figure curves(String env, PolicyArchitecture arch, long unit, MetaTestResult r, double threshold) {
        int n = r.steps() + 1;
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * unit;
        }
        List<Figure.Series> series = new ArrayList<>();
        band(series, "learned loss", x, r.learned());
        band(series, "PPO", x, r.baseline());
        double[] level = new double[n];
        java.util.Arrays.fill(level, threshold);
        series.add(new Figure.Series("given return", x, level));
        return new Figure("returns-" + arch.name(), env + " " + arch.name() + ": mean-action return, mean +-1 std over targets, seeds",
                "environment steps", "return", series);
    }

    private static void band(List<Figure.Series> series, String label, double[] x, double[][] curves) {
        double[] mean = MetaTestResult.meanCurve(curves);
        double[] lo = new double[mean.length];
        double[] hi = new double[mean.length];
        for (int i = 0; i < mean.length; i++) {
            double v = 0;
            for (double[] c : curves) {
                v += (c[i] - mean[i]) * (c[i] - mean[i]);
            }
            double std = Math.sqrt(v / Math.max(1, curves.length - 1));
            lo[i] = mean[i] - std;
            hi[i] = mean[i] + std;
        }
        series.add(new Figure.Series(label, x, mean));
        series.add(new Figure.Series(label + " - std", x, lo));
        series.add(new Figure.Series(label + " + std", x, hi));
    }
}
