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

class PartitionDrawTest {
    private final TableSplit split = new TableSplit(0.3, 0.5, 2);

    private static List<TaskRows> partition(int tasks) {
        List<TaskRows> p = new ArrayList<>();
        for (int t = 0; t < tasks; t++) {
            p.add(TaskRows.of("route-" + t, List.of(new double[] {t, 1})));
        }
        return p;
    }

    private static List<String> ids(List<TaskRows> tasks) {
        return tasks.stream().map(TaskRows::taskId).toList();
    }

    @Test
    void aDrawDependsOnTheSeedAndThePartitionsContentNotOnItsOrder() {
        List<TaskRows> p = partition(60);
        List<TaskRows> shuffled = new ArrayList<>(p);
        Collections.shuffle(shuffled, new Random(1));
        List<String> drawn = ids(PartitionDraw.draw(p, split, 8, 77));
        assertEquals(drawn, ids(PartitionDraw.draw(shuffled, split, 8, 77)));
        assertNotEquals(drawn, ids(PartitionDraw.draw(p, split, 8, 78)));
        assertEquals(8, new HashSet<>(drawn).size(), "without replacement");
    }

    @Test
    void noMetaTestTaskIsEverDrawnAndASmallPartitionGivesAllItsTrainTasks() {
        List<TaskRows> p = partition(40);
        Set<String> train = new HashSet<>();
        for (TaskRows t : p) {
            if (!split.isMetaTest(t.taskId())) {
                train.add(t.taskId());
            }
        }
        for (long seed = 0; seed < 200; seed++) {
            for (String id : ids(PartitionDraw.draw(p, split, 5, seed))) {
                assertFalse(split.isMetaTest(id), id);
            }
        }
        assertEquals(train, new HashSet<>(ids(PartitionDraw.draw(p, split, 1000, 3))));
    }
}
