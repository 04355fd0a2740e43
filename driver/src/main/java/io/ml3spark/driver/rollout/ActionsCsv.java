package io.ml3spark.driver.rollout;

import io.ml3spark.driver.config.ConfigError;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A sequence of actions as CSV: a header naming the environment's action components in order
 * (e.g. {@code tau1,tau2}), then one row of finite numbers per step. A bad file fails with one line
 * naming the file and the row or column.
 */
public final class ActionsCsv {
    /** The longest sequence read: a longer file is refused rather than held in memory. */
    public static final int MAX_STEPS = 100_000;

    private ActionsCsv() {
    }

    /** The actions, {@code [steps][names.size()]}, of the CSV {@code in} reads; {@code file} names it in errors. */
    public static double[][] read(BufferedReader in, String file, List<String> names) throws IOException {
        String header = in.readLine();
        if (header == null || header.isBlank()) {
            throw new ConfigError("actions file " + file + " is empty: expected a header " + String.join(",", names)
                    + " and a row per step");
        }
        List<String> columns = Arrays.stream(header.split(",", -1)).map(String::trim).toList();
        if (!columns.equals(names)) {
            throw new ConfigError("actions file " + file + ": the header has columns " + columns + ", expected "
                    + names + " (the environment's actions, in order)");
        }
        List<double[]> rows = new ArrayList<>();
        int row = 1;
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            row++;
            if (line.isBlank()) {
                continue;
            }
            if (rows.size() == MAX_STEPS) {
                throw new ConfigError("actions file " + file + " has more than " + MAX_STEPS + " steps");
            }
            String[] cells = line.split(",", -1);
            if (cells.length != names.size()) {
                throw new ConfigError("actions file " + file + ", row " + row + ": " + cells.length + " values, expected "
                        + names.size() + " (" + String.join(",", names) + ")");
            }
            double[] a = new double[cells.length];
            for (int c = 0; c < cells.length; c++) {
                try {
                    a[c] = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    a[c] = Double.NaN;
                }
                if (!Double.isFinite(a[c])) {
                    throw new ConfigError("actions file " + file + ", row " + row + ", column " + names.get(c)
                            + ": expected a finite number, got '" + cells[c].trim() + "'");
                }
            }
            rows.add(a);
        }
        if (rows.isEmpty()) {
            throw new ConfigError("actions file " + file + " has a header but no step");
        }
        return rows.toArray(new double[0][]);
    }
}
