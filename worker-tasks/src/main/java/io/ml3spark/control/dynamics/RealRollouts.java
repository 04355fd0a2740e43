package io.ml3spark.control.dynamics;

import java.io.Serializable;

/**
 * Rollouts on a real simulator as plain numbers, the data a dynamics model is fitted to:
 * {@code states[r][t]} for t = 0..T and the applied {@code actions[r][t]} for t = 0..T-1.
 */
public record RealRollouts(double[][][] states, double[][][] actions) implements Serializable {
    public RealRollouts {
        if (states.length != actions.length || states.length == 0) {
            throw new IllegalArgumentException("rollouts need states and actions of as many (>= 1) episodes");
        }
    }

    public int count() {
        return states.length;
    }

    /** One row per step: (state, action), {@code [N][S + A]}. */
    public double[][] inputs() {
        int n = steps();
        double[][] rows = new double[n][];
        int i = 0;
        for (int r = 0; r < states.length; r++) {
            for (int t = 0; t < actions[r].length; t++) {
                double[] s = states[r][t];
                double[] a = actions[r][t];
                double[] row = new double[s.length + a.length];
                System.arraycopy(s, 0, row, 0, s.length);
                System.arraycopy(a, 0, row, s.length, a.length);
                rows[i++] = row;
            }
        }
        return rows;
    }

    /** One row per step: the change of the last {@code velocities} state components, {@code [N][V]}. */
    public double[][] velocityChanges(int velocities) {
        double[][] rows = new double[steps()][];
        int i = 0;
        for (int r = 0; r < states.length; r++) {
            for (int t = 0; t < actions[r].length; t++) {
                double[] s = states[r][t];
                double[] next = states[r][t + 1];
                double[] row = new double[velocities];
                for (int v = 0; v < velocities; v++) {
                    row[v] = next[s.length - velocities + v] - s[s.length - velocities + v];
                }
                rows[i++] = row;
            }
        }
        return rows;
    }

    private int steps() {
        int n = 0;
        for (double[][] a : actions) {
            n += a.length;
        }
        return n;
    }
}
