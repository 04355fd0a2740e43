package io.ml3spark.experiments.table;

import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TableBatchesTest {
    private final TableSplit split = new TableSplit(0.2, 0.5, 11);
    private final FeatureScaling scaling = new FeatureScaling(new double[] {1, -2}, new double[] {2, 4});

    private TableTask task(String id, int rows) {
        List<double[]> r = new ArrayList<>();
        for (int i = 0; i < rows; i++) {
            r.add(new double[] {i, 3.0 * i - 1, 7.0 * i});
        }
        return TableTask.of(TaskRows.of(id, r), split);
    }

    @Test
    void supportAndQueryAreDisjointStandardisedRowsInTheTasksOrder() {
        TableBatches batches = new TableBatches(scaling, 4, 3);
        List<TableTask> tasks = List.of(task("a", 40), task("b", 30));
        TaskBatch support = batches.support(JvmBackend.INSTANCE, tasks);
        TaskBatch query = batches.query(JvmBackend.INSTANCE, tasks);
        assertArrayEquals(new int[] {2, 4, 2}, support.inputs().shape().dims());
        assertArrayEquals(new int[] {2, 3, 1}, query.targets().shape().dims());
        double[] x = support.inputs().toArray();
        double[] y = support.targets().toArray();
        double[][] firstSupport = tasks.get(0).support();
        for (int r = 0; r < 4; r++) {
            assertEquals((firstSupport[r][0] - 1) / 2, x[2 * r], 1e-12);
            assertEquals((firstSupport[r][1] + 2) / 4, x[2 * r + 1], 1e-12);
            assertEquals(firstSupport[r][2], y[r], 0.0, "the label is not standardised");
        }
        Set<Double> supportLabels = new HashSet<>();
        for (int r = 0; r < 4; r++) {
            supportLabels.add(y[r]);
        }
        double[] queryLabels = query.targets().toArray();
        for (int r = 0; r < 3; r++) {
            assertTrue(!supportLabels.contains(queryLabels[r]), "no row of task a is both support and query: "
                    + queryLabels[r]);
        }
    }

    @Test
    void aTaskWithTooFewRowsOfAPartIsNamed() {
        TableBatches batches = new TableBatches(scaling, 4, 3);
        assertNull(batches.shortfall(task("a", 40)));
        TableTask small = task("tiny", 3);
        String why = batches.shortfall(small);
        assertTrue(why.startsWith("task 'tiny' has ") && why.endsWith(" query rows, the batches take 4 and 3"), why);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> batches.support(JvmBackend.INSTANCE, List.of(small)));
        assertEquals(why, e.getMessage());
    }
}
