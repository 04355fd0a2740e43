package io.ml3spark.driver.run;

import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A result carries its metric's direction into evaluation.json and back; files from before directions still summarise. */
class MetricDirectionInReportsTest {

    private static MetaTestResult result(String metric, MetricDirection direction, double learned, double baseline) {
        return new MetaTestResult("test", metric, direction, new double[][] {{0.0, learned}},
                new double[][] {{0.0, baseline}}, null);
    }

    @Test
    void aNewMetricsDirectionIsRecordedAndDecidesWhoWins() {
        String json = EvaluationReport.toJson("x", 0, "loss", List.of(
                result("brand_new_score", MetricDirection.HIGHER_IS_BETTER, 3.0, 2.0)));
        assertTrue(json.replaceAll("\\s", "").contains("\"direction\":\"higher_is_better\""), json);
        EvaluationReport.Summary s = EvaluationReport.summaries(json.getBytes(StandardCharsets.UTF_8), "e.json").get(0);
        assertEquals(MetricDirection.HIGHER_IS_BETTER, s.direction());
        assertEquals(Boolean.TRUE, s.learnedWins());
        String mse = EvaluationReport.toJson("x", 0, "loss", List.of(result("mse", MetricDirection.LOWER_IS_BETTER, 3.0, 2.0)));
        assertEquals(Boolean.FALSE, EvaluationReport.summaries(mse.getBytes(StandardCharsets.UTF_8), "e.json").get(0)
                .learnedWins());
        String gain = EvaluationReport.toJson("x", 0, "loss", List.of(result("gain", MetricDirection.NEITHER, 3.0, 2.0)));
        assertNull(EvaluationReport.summaries(gain.getBytes(StandardCharsets.UTF_8), "e.json").get(0).learnedWins());
    }

    @Test
    void filesFromBeforeDirectionsWereRecordedSummariseAsTheyDidThen() {
        String old = "{\"experiment\":\"x\",\"task_sets\":{"
                + "\"test\":{\"metric\":\"accuracy\",\"ml3\":{\"final_accuracy_mean\":0.9},\"baseline\":{\"final_accuracy_mean\":0.8}},"
                + "\"train\":{\"metric\":\"mse\",\"ml3\":{\"final_mse_mean\":0.9},\"baseline\":{\"final_mse_mean\":0.8}},"
                + "\"test-lowest\":{\"metric\":\"lowest_position\",\"ml3\":{\"final_lowest_position_mean\":1},"
                + "\"baseline\":{\"final_lowest_position_mean\":2}}}}";
        List<EvaluationReport.Summary> s = EvaluationReport.summaries(old.getBytes(StandardCharsets.UTF_8), "old.json");
        assertEquals(List.of(MetricDirection.HIGHER_IS_BETTER, MetricDirection.LOWER_IS_BETTER, MetricDirection.NEITHER),
                s.stream().map(EvaluationReport.Summary::direction).toList());
        assertEquals(Boolean.TRUE, s.get(0).learnedWins());
        assertEquals(Boolean.FALSE, s.get(1).learnedWins());
    }

    @Test
    void anUnknownRecordedDirectionIsAnErrorNamingTheFile() {
        String bad = "{\"task_sets\":{\"test\":{\"metric\":\"mse\",\"direction\":\"up\"}}}";
        RunDirectoryError e = assertThrows(RunDirectoryError.class,
                () -> EvaluationReport.summaries(bad.getBytes(StandardCharsets.UTF_8), "bad.json"));
        assertEquals("bad.json: task set test has direction 'up', expected lower_is_better, higher_is_better or neither",
                e.getMessage());
    }
}
