package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.experiments.SineTaskFamily.Range;
import io.ml3spark.nn.Activation;

import java.util.List;

/** Reading the values experiments' config sections share: layer sizes, activations, ranges. */
final class ExperimentSettings {
    private ExperimentSettings() {
    }

    static int[] layers(Settings s, String path) {
        List<Integer> l = s.getIntList(path);
        if (l.size() < 2 || l.stream().anyMatch(v -> v < 1)) {
            throw s.invalid(path, "a list of at least 2 positive layer sizes, got " + l);
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    static Activation activation(Settings s, String path) {
        try {
            return Activation.parse(s.getString(path));
        } catch (IllegalArgumentException e) {
            throw s.invalid(path, e.getMessage());
        }
    }

    static Range range(Settings s, String path) {
        List<Double> r = s.getDoubleList(path);
        if (r.size() != 2 || !(r.get(0) <= r.get(1))) {
            throw s.invalid(path, "[lo, hi] with lo <= hi, got " + r);
        }
        return new Range(r.get(0), r.get(1));
    }
}
