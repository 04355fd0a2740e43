package io.ml3spark.experiments.sine;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Sine regression tasks {@code y = A sin(w (x - p))} with A, p, w and the N inputs x drawn
 * uniformly from their ranges (a range with equal ends is a fixed value). One seed per
 * task determines the task completely.
 */
public record SineTaskFamily(Range amplitude, Range phase, Range frequency, Range inputs, int points)
        implements Serializable {

    /** A closed interval to draw uniformly from. */
    public record Range(double lo, double hi) implements Serializable {
        public Range {
            if (!(lo <= hi)) {
                throw new IllegalArgumentException("range lower end " + lo + " exceeds upper end " + hi);
            }
        }

        public static Range fixed(double v) {
            return new Range(v, v);
        }

        /** The config's {@code [lo, hi]} at {@code path}, with lo &lt;= hi. */
        public static Range read(Settings s, String path) {
            List<Double> r = s.getDoubleList(path);
            if (r.size() != 2 || !(r.get(0) <= r.get(1))) {
                throw s.invalid(path, "[lo, hi] with lo <= hi, got " + r);
            }
            return new Range(r.get(0), r.get(1));
        }

        public double draw(SplittableRandom rng) {
            return lo == hi ? lo : lo + (hi - lo) * rng.nextDouble();
        }
    }

    public SineTaskFamily {
        if (points < 1) {
            throw new IllegalArgumentException("points per task must be >= 1, got " + points);
        }
    }

    /** The tasks of the given seeds, stacked; extra information is each task's frequency {@code [B, 1, 1]}. */
    public TaskBatch sample(Backend backend, long[] seeds) {
        int b = seeds.length;
        double[] x = new double[b * points];
        double[] y = new double[b * points];
        double[] w = new double[b];
        for (int t = 0; t < b; t++) {
            SplittableRandom rng = new SplittableRandom(seeds[t]);
            double a = amplitude.draw(rng);
            double p = phase.draw(rng);
            w[t] = frequency.draw(rng);
            for (int i = 0; i < points; i++) {
                double xi = inputs.draw(rng);
                x[t * points + i] = xi;
                y[t * points + i] = a * Math.sin(w[t] * (xi - p));
            }
        }
        return new TaskBatch(Tensor.constant(backend, x, b, points, 1), Tensor.constant(backend, y, b, points, 1),
                Tensor.constant(backend, w, b, 1, 1));
    }
}
