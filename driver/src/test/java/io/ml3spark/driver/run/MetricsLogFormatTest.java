package io.ml3spark.driver.run;

import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** metrics.csv's seconds column is written as {@code %.3f} would write it, without a formatter per row. */
class MetricsLogFormatTest {
    @Test
    void secondsWithThreeDecimalsAsPrintfWritesThem() {
        assertEquals("0.000", MetricsLog.milliseconds(0));
        assertEquals("0.007", MetricsLog.milliseconds(0.007));
        assertEquals("0.070", MetricsLog.milliseconds(0.07));
        assertEquals("1.500", MetricsLog.milliseconds(1.4996));
        assertEquals("12345.679", MetricsLog.milliseconds(12345.6789));
        SplittableRandom rng = new SplittableRandom(3);
        for (int i = 0; i < 10_000; i++) {
            double s = rng.nextDouble(0, 5000);
            double thousandths = s * 1000 - Math.floor(s * 1000);
            if (Math.abs(thousandths - 0.5) > 1e-6) {
                assertEquals(String.format(Locale.ROOT, "%.3f", s), MetricsLog.milliseconds(s), "at " + s);
            }
        }
    }
}
