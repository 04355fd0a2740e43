package io.ml3spark.experiments.table;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PartitionDrawTest {
    private final TableSplit split = new TableSplit(0.3, 0.5, 2);

    private static List<TaskRows> tasks(int count) {
        List<TaskRows> p = new ArrayList<>();
        for (int t = 0; t < count; t++) {
            p.add(TaskRows.of("route-" + t, List.of(new double[] {t, 1}, new double[] {t, 2})));
        }
        return p;
    }

    private static List<String> ids(List<TableTask> tasks) {
        return tasks.stream().map(TableTask::taskId).toList();
    }

    @Test
    void aDrawDependsOnTheSeedAndThePartitionsContentNotOnItsOrder() {
        List<TaskRows> read = tasks(60);
        List<TaskRows> shuffled = new ArrayList<>(read);
        Collections.shuffle(shuffled, new Random(1));
        TablePartition p = TablePartition.of(0, read.iterator(), split);
        TablePartition q = TablePartition.of(0, shuffled.iterator(), split);
        assertEquals(ids(p.metaTrain()), ids(q.metaTrain()));
        assertEquals(ids(p.metaTest()), ids(q.metaTest()));
        List<String> drawn = ids(PartitionDraw.draw(p, 8, 77));
        assertEquals(drawn, ids(PartitionDraw.draw(q, 8, 77)));
        assertNotEquals(drawn, ids(PartitionDraw.draw(p, 8, 78)));
        assertEquals(8, new HashSet<>(drawn).size(), "without replacement");
    }

    @Test
    void noMetaTestTaskIsEverDrawnAndASmallPartitionGivesAllItsTrainTasks() {
        TablePartition p = TablePartition.of(3, tasks(40).iterator(), split);
        Set<String> train = new HashSet<>();
        for (TaskRows t : tasks(40)) {
            if (!split.isMetaTest(t.taskId())) {
                train.add(t.taskId());
            }
        }
        assertEquals(train, new HashSet<>(ids(p.metaTrain())));
        assertEquals(40, p.metaTrain().size() + p.metaTest().size());
        assertTrue(p.metaTest().stream().allMatch(t -> split.isMetaTest(t.taskId())));
        for (long seed = 0; seed < 200; seed++) {
            for (String id : ids(PartitionDraw.draw(p, 5, seed))) {
                assertFalse(split.isMetaTest(id), id);
            }
        }
        assertEquals(train, new HashSet<>(ids(PartitionDraw.draw(p, 1000, 3))));
    }

    @Test
    void everyTrainTaskIsDrawnAboutEquallyOften() {
        TablePartition p = TablePartition.of(0, tasks(50).iterator(), split);
        int n = p.metaTrain().size();
        int[] counts = new int[n];
        List<String> order = ids(p.metaTrain());
        int draws = 4000;
        for (long seed = 0; seed < draws; seed++) {
            for (String id : ids(PartitionDraw.draw(p, 4, seed))) {
                counts[order.indexOf(id)]++;
            }
        }
        double expected = draws * 4.0 / n;
        for (int c : counts) {
            // binomial standard deviation is about sqrt(expected): within 5 of them
            assertTrue(Math.abs(c - expected) < 5 * Math.sqrt(expected), "count " + c + ", expected " + expected);
        }
    }
}
