package io.ml3spark.experiments.table;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureScalingTest {
    @Test
    void sumsMergedInAnyGroupingGiveTheColumnsMeanAndStandardDeviation() {
        double[][] rows = {{1, 10, 7}, {3, 10, 8}, {5, 10, 9}, {7, 10, 6}};
        FeatureScaling.Sums left = new FeatureScaling.Sums(2).add(rows[0]).add(rows[1]);
        FeatureScaling.Sums right = new FeatureScaling.Sums(2).add(rows[2]).add(rows[3]);
        FeatureScaling s = left.merge(right).scaling();
        assertArrayEquals(new double[] {4, 10}, s.mean(), 1e-12);
        assertEquals(Math.sqrt(5), s.std()[0], 1e-12);
        assertEquals(1.0, s.std()[1], 0.0, "a constant column is only centred");
        assertArrayEquals(new double[] {-3 / Math.sqrt(5), 0, 7}, s.apply(rows[0]), 1e-12, "the label stays as it is");
    }

    @Test
    void noRowsIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> new FeatureScaling.Sums(3).scaling());
    }
}
