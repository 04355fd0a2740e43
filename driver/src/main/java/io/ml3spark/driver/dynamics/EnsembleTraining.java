package io.ml3spark.driver.dynamics;

import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Fits a dynamics ensemble on Spark, one Spark task per member: every member sees the same
 * transitions (broadcast once) and differs by its initialisation and minibatch order, both
 * drawn from (seed, member). The result is the same as fitting the members one after another
 * in one JVM ({@link #fitMember}).
 */
public final class EnsembleTraining {
    private EnsembleTraining() {
    }

    public static List<double[]> fit(JavaSparkContext sc, ProbabilisticDynamics model, DynamicsFit fit,
                                     double[][] inputs, double[][] targets, long seed, int members) {
        if (members < 1) {
            throw new IllegalArgumentException("an ensemble needs at least one member, got " + members);
        }
        Broadcast<double[][][]> data = sc.broadcast(new double[][][] {inputs, targets});
        try {
            return sc.parallelize(IntStream.range(0, members).boxed().toList(), members)
                    .map(m -> fitMember(model, fit, data.value()[0], data.value()[1], seed, m))
                    .collect();
        } finally {
            data.destroy();
        }
    }

    /** Member {@code m}: initialised from stream (seed, m, 0), its minibatches shuffled from (seed, m, 1). */
    public static double[] fitMember(ProbabilisticDynamics model, DynamicsFit fit, double[][] inputs, double[][] targets,
                                     long seed, int m) {
        double[] initial = model.initialParameters(JvmBackend.INSTANCE, new SplittableRandom(Seeds.derive(seed, m, 0)));
        return fit.fit(JvmBackend.INSTANCE, model, initial, inputs, targets, Seeds.derive(seed, m, 1));
    }
}
