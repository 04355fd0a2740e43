package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.run.MetaTestJob;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.MetaTestReport;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.File;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The meta-test on Spark (one task per test task x method) gives exactly what the whole
 * meta-test gives in one thread: every curve of every result, the normalisers, and the
 * experiment's figures, which are built from the same measurements.
 */
class MetaTestOnSparkTest {
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "MetaTestOnSparkTest"));
    }

    @AfterAll
    static void stop() {
        sc.close();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "sine-regression.conf|sine-regression.meta-test.steps=4",
        "sine-frequency-shaped.conf|sine-frequency.meta-test.steps=3",
        "mountain-car.conf|mountain-car.meta-test.steps=2",
        "mnist-binary.conf|mnist-binary.meta-test.steps=2,mnist-binary.meta-test.runs=1,mnist-binary.meta-test.eval-examples=20"})
    void everyCurveAndFigureEqualsTheSingleThreadedMetaTest(String config, String overrides) throws Exception {
        RunConfig cfg = RunConfig.load(new File("../conf", config), List.of(overrides.split(",")));
        Experiment exp = cfg.experiment();
        double[] phi = exp.initialPhi(JvmBackend.INSTANCE, cfg.seed() + 1);
        MetaTestReport local = exp.metaTestReport(JvmBackend.INSTANCE, phi, cfg.seed());
        MetaTestReport spark = MetaTestJob.report(sc, exp, cfg.backend(), phi, cfg.seed());
        assertEquals(local.results().size(), spark.results().size());
        assertTrue(exp.metaTestUnits().size() >= 2, "at least the learned loss and the baseline");
        for (int i = 0; i < local.results().size(); i++) {
            MetaTestResult l = local.results().get(i);
            MetaTestResult s = spark.results().get(i);
            assertEquals(l.taskSet(), s.taskSet());
            assertEquals(l.metric(), s.metric());
            for (int t = 0; t < l.tasks(); t++) {
                assertArrayEquals(l.learned()[t], s.learned()[t], 0.0, l.taskSet() + " task " + t);
                assertArrayEquals(l.baseline()[t], s.baseline()[t], 0.0, l.taskSet() + " task " + t);
            }
            assertArrayEquals(l.normalizer(), s.normalizer(), 0.0);
        }
        assertEquals(local.figures().stream().map(Figure::csv).toList(), spark.figures().stream().map(Figure::csv).toList());
    }
}
