package io.ml3spark.driver.dynamics;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.reacher.Reacher;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** Members fitted as Spark tasks equal members fitted in this JVM, bit for bit, and differ from each other. */
class EnsembleTrainingTest {
    @Test
    void membersFittedOnSparkEqualMembersFittedHere() {
        ProbabilisticDynamics model = ProbabilisticDynamics.reacher();
        SplittableRandom rng = new SplittableRandom(1);
        double[][] x = new double[40][];
        double[][] y = new double[40][];
        for (int i = 0; i < 40; i++) {
            double[] s = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
            double[] a = {rng.nextDouble(-1, 1), rng.nextDouble(-1, 1)};
            double[] next = Reacher.REFERENCE.step(Tensor.constant(JvmBackend.INSTANCE, s, 1, 1, 4),
                    Tensor.constant(JvmBackend.INSTANCE, a, 1, 1, 2)).toArray();
            x[i] = new double[] {s[0], s[1], s[2], s[3], a[0], a[1]};
            y[i] = new double[] {next[2] - s[2], next[3] - s[3]};
        }
        DynamicsFit fit = new DynamicsFit(1e-3, 3, 16);
        List<double[]> members;
        try (JavaSparkContext sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("EnsembleTrainingTest")
                .set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1"))) {
            members = EnsembleTraining.fit(sc, model, fit, x, y, 5, 3);
        }
        assertEquals(3, members.size());
        for (int m = 0; m < 3; m++) {
            assertArrayEquals(EnsembleTraining.fitMember(model, fit, x, y, 5, m), members.get(m), 0.0, "member " + m);
        }
        assertFalse(java.util.Arrays.equals(members.get(0), members.get(1)), "members start from different draws");
    }
}
