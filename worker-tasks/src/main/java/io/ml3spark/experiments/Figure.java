package io.ml3spark.experiments;

import java.io.Serializable;
import java.util.List;

/**
 * An experiment-specific plot of the meta-test (beyond the per-step curves of
 * {@link MetaTestResult}): named line series over a shared x axis. The driver draws it as
 * {@code <name>.png} and writes its numbers to {@code <name>.csv} in the run directory.
 */
public record Figure(String name, String title, String xAxis, String yAxis, List<Series> series)
        implements Serializable {

    /** The numbers as CSV: {@code series,x,y}, one row per point. */
    public String csv() {
        StringBuilder csv = new StringBuilder("series,x,y\n");
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                csv.append('"').append(s.label().replace("\"", "\"\"")).append("\",").append(s.x()[i]).append(',')
                        .append(s.y()[i]).append('\n');
            }
        }
        return csv.toString();
    }

    /** One line through {@code y[i]} at {@code x[i]}, or with {@code points} unconnected markers there. */
    public record Series(String label, double[] x, double[] y, boolean points) implements Serializable {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + label + "' has " + x.length + " x values and "
                        + y.length + " y values");
            }
        }

        public Series(String label, double[] x, double[] y) {
            this(label, x, y, false);
        }

        /** Markers at the points, not connected (targets in the plane). */
        public static Series points(String label, double[] x, double[] y) {
            return new Series(label, x, y, true);
        }
    }
}
