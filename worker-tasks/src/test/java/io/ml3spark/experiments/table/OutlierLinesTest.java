package io.ml3spark.experiments.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutlierLinesTest {
    private final OutlierLines family = new OutlierLines(3, 50, 0.1, 0.1, 5);

    @Test
    void aTaskIsAFunctionOfSeedAndTaskAlone() {
        assertArrayEquals(family.rows(4, 17), family.rows(4, 17));
        assertFalse(java.util.Arrays.deepEquals(family.rows(4, 17), family.rows(4, 18)));
        assertFalse(java.util.Arrays.deepEquals(family.rows(4, 17), family.rows(5, 17)));
    }

    @Test
    void rowsLieOnTheTaskLineUpToNoiseExceptTheStatedFractionOfOutliers() {
        int rows = 0;
        int outliers = 0;
        double inlierSquares = 0;
        for (long task = 0; task < 200; task++) {
            double[] line = family.line(9, task);
            for (double[] r : family.rows(9, task)) {
                double clean = line[3];
                for (int f = 0; f < 3; f++) {
                    assertTrue(r[f] >= -1 && r[f] < 1, "features are U(-1, 1)");
                    clean += line[f] * r[f];
                }
                double residual = r[3] - clean;
                rows++;
                if (Math.abs(residual) > 1) {
                    assertTrue(Math.abs(residual) >= 2.5 && Math.abs(residual) <= 5, "an outlier is 5 x U(0.5, 1): " + residual);
                    outliers++;
                } else {
                    inlierSquares += residual * residual;
                }
            }
        }
        assertEquals(10_000, rows);
        // 10% of 10,000 rows: a binomial count within 5 standard deviations (5 x 30) of 1,000.
        assertTrue(Math.abs(outliers - 1000) < 150, "outliers " + outliers);
        assertEquals(0.1, Math.sqrt(inlierSquares / (rows - outliers)), 0.005);
    }

    @Test
    void impossibleSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new OutlierLines(0, 5, 0.1, 0.1, 5));
        assertThrows(IllegalArgumentException.class, () -> new OutlierLines(2, 5, 0.1, 1.5, 5));
        assertThrows(IllegalArgumentException.class, () -> new OutlierLines(2, 5, Double.NaN, 0.1, 5));
    }
}
