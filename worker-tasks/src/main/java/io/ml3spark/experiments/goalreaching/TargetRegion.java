package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import java.io.Serializable;
import java.util.SplittableRandom;

/** A rectangle of target points in the plane, {@code x in [x0, x1]}, {@code y in [y0, y1]}, drawn uniformly. */
public record TargetRegion(double x0, double x1, double y0, double y1) implements Serializable {
    /** Draws before a region with no reachable target is reported. */
    static final int MAX_DRAWS = 10_000;

    public TargetRegion {
        if (!(x0 <= x1 && y0 <= y1)) {
            throw new IllegalArgumentException("a target region needs x0 <= x1 and y0 <= y1");
        }
    }

    /** A target drawn uniformly from the region and reachable in {@code env} (draws again where it is not). */
    public double[] draw(GoalEnvironment env, SplittableRandom rng) {
        for (int i = 0; i < MAX_DRAWS; i++) {
            double[] target = {x0 + (x1 - x0) * rng.nextDouble(), y0 + (y1 - y0) * rng.nextDouble()};
            try {
                env.goalOf(target);
                return target;
            } catch (IllegalArgumentException unreachable) {
                // draw again
            }
        }
        throw new IllegalArgumentException("no target of " + this + " is reachable in " + env.name() + " (" + MAX_DRAWS
                + " draws)");
    }

    public boolean contains(double[] p) {
        return p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1;
    }

    @Override
    public String toString() {
        return "x in [" + x0 + ", " + x1 + "], y in [" + y0 + ", " + y1 + "]";
    }
}
