package io.ml3spark.experiments;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one {@link MetaTestUnit} measured: named series, usually a metric after each of 0..steps
 * SGD steps (index 0: the initial model), and whatever the experiment's figures need of the
 * trained model (a trajectory, positions over time).
 */
public record MetaTestMeasurement(MetaTestUnit unit, Map<String, double[]> series) implements Serializable {
    public MetaTestMeasurement {
        series = new LinkedHashMap<>(series);
    }

    public double[] get(String name) {
        double[] s = series.get(name);
        if (s == null) {
            throw new IllegalArgumentException(unit + " measured no series '" + name + "', only " + series.keySet());
        }
        return s;
    }
}
