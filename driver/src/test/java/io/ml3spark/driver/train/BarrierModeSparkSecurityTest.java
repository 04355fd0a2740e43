package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.config.MetaTrainSettings.Execution;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Barrier mode with Spark's authentication, RPC encryption and I/O encryption on, as the deploy path runs it. */
class BarrierModeSparkSecurityTest {

    @Test
    void barrierSegmentsRunUnderSparksSecurityAndEqualThePerIterationMode() {
        RunConfig cfg = ShortSineRun.config("meta-train.tasks-per-spark-task=4", "meta-train.iterations=4",
                "meta-train.iterations-per-job=2");
        try (JavaSparkContext spark = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "BarrierModeSparkSecurityTest")
                .set("spark.authenticate", "true")
                .set("spark.network.crypto.enabled", "true")
                .set("spark.io.encryption.enabled", "true"))) {
            assertTrue(spark.getConf().getBoolean("spark.authenticate", false));
            Experiment exp = cfg.experiment();
            double[] start = exp.initialPhi(JvmBackend.INSTANCE, cfg.seed());
            double[] perIteration = new MetaTrainer(spark, exp, cfg.backend(), cfg.seed(),
                    cfg.metaTrain().withExecution(Execution.PER_ITERATION))
                    .train(MetaTrainer.initial(start), (it, g, a, s) -> { }, s -> { }).phi();
            double[] barrier = new MetaTrainer(spark, exp, cfg.backend(), cfg.seed(),
                    cfg.metaTrain().withExecution(Execution.BARRIER))
                    .train(MetaTrainer.initial(start), (it, g, a, s) -> { }, s -> { }).phi();
            assertArrayEquals(perIteration, barrier, 0.0);
        }
    }
}
