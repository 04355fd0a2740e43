package io.ml3spark.experiments.table;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableSplitTest {
    private final TableSplit split = new TableSplit(0.2, 0.5, 3);

    @Test
    void tasksSplitByTheirIdAloneAtTheGivenFraction() {
        int test = 0;
        for (int t = 0; t < 10_000; t++) {
            String id = "store-" + t;
            boolean held = split.isMetaTest(id);
            assertEquals(held, split.isMetaTest(new String(id.toCharArray())), "a function of the id's characters");
            test += held ? 1 : 0;
        }
        // binomial(10,000, 0.2): standard deviation 40; within 5 of them.
        assertTrue(Math.abs(test - 2000) < 200, "meta-test tasks " + test);
        TableSplit reseeded = new TableSplit(0.2, 0.5, 4);
        long moved = java.util.stream.IntStream.range(0, 1000)
                .filter(t -> split.isMetaTest("store-" + t) != reseeded.isMetaTest("store-" + t)).count();
        // Independent draws differ for 2 x 0.2 x 0.8 = 32% of the tasks.
        assertTrue(moved > 200 && moved < 440, "tasks that change sides with the seed: " + moved);
    }

    @Test
    void rowsSplitByTheirValuesAndATaskKeepsOneOrderWhateverTheOrderRead() {
        Random random = new Random(7);
        List<double[]> rows = new ArrayList<>();
        for (int r = 0; r < 400; r++) {
            rows.add(new double[] {random.nextGaussian(), random.nextGaussian(), random.nextInt(3)});
        }
        TaskRows task = TaskRows.of("a", rows);
        List<double[]> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(8));
        assertArrayEquals(task.rows(), TaskRows.of("a", shuffled).rows());
        TableTask split = TableTask.of(task, this.split);
        double[][] query = split.query();
        double[][] support = split.support();
        assertEquals(400, query.length + support.length);
        // binomial(400, 0.5): standard deviation 10; within 5 of them.
        assertTrue(Math.abs(query.length - 200) < 50, "query rows " + query.length);
        for (double[] q : query) {
            assertTrue(this.split.isQuery(q.clone()), "a row's part is a function of its values");
        }
    }

    @Test
    void fractionsOutsideTheOpenIntervalAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new TableSplit(0, 0.5, 1));
        assertThrows(IllegalArgumentException.class, () -> new TableSplit(0.2, 1, 1));
    }
}
