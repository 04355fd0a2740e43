package io.ml3spark.experiments;

import java.io.Serializable;

/**
 * Meta-test curves on one set of tasks: {@code learned[t][s]} is the metric of task t after
 * s gradient steps with the learned loss (s = 0 is the initial model), {@code baseline} the
 * same with the task's own loss at the same learning rate. {@code normalizer[t]} divides a
 * task's metric into its normalised form (the target variance for NMSE), or is null.
 */
public record MetaTestResult(String taskSet, String metric, MetricDirection direction, double[][] learned, double[][] baseline,
                             double[] normalizer) implements Serializable {

    public int tasks() {
        return learned.length;
    }

    public int steps() {
        return learned[0].length - 1;
    }

    public double[] finalLearned() {
        return lastColumn(learned);
    }

    public double[] finalBaseline() {
        return lastColumn(baseline);
    }

    /** Mean over tasks at each step. */
    public static double[] meanCurve(double[][] curves) {
        double[] mean = new double[curves[0].length];
        for (double[] c : curves) {
            for (int s = 0; s < mean.length; s++) {
                mean[s] += c[s] / curves.length;
            }
        }
        return mean;
    }

    private static double[] lastColumn(double[][] curves) {
        double[] out = new double[curves.length];
        for (int t = 0; t < curves.length; t++) {
            out[t] = curves[t][curves[t].length - 1];
        }
        return out;
    }
}
