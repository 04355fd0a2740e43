package io.ml3spark.experiments;

import java.io.Serializable;
import java.util.List;

/**
 * A line chart an experiment asks the driver to draw: {@code name} is the file name
 * without extension, each series a labelled curve.
 */
public record Figure(String name, String title, String xLabel, String yLabel, List<Series> series)
        implements Serializable {

    /** One curve: y[i] at x[i]. */
    public record Series(String label, double[] x, double[] y) implements Serializable {
        public Series {
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + label + "' has " + x.length + " x values and "
                        + y.length + " y values");
            }
        }
    }
}
