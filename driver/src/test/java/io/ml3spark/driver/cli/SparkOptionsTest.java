package io.ml3spark.driver.cli;

import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Local runs start without the Spark UI unless asked for. */
class SparkOptionsTest {
    private static boolean startsUi(boolean sparkUi) {
        SparkOptions options = new SparkOptions();
        options.master = "local[1]";
        options.sparkUi = sparkUi;
        try (JavaSparkContext sc = options.start("ui-test")) {
            return sc.sc().uiWebUrl().isDefined();
        }
    }

    @Test
    void theUiIsOffForLocalRunsUnlessAskedFor() {
        assertFalse(startsUi(false));
        assertTrue(startsUi(true));
    }
}
