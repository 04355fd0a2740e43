package io.ml3spark.experiments;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * One independent piece of a meta-test, what one Spark task computes: task {@code task} of the
 * experiment's task set {@code taskSet}, trained from scratch with the learned loss
 * ({@code learnedLoss}) or with the task's own loss (the baseline).
 */
public record MetaTestUnit(String taskSet, int task, boolean learnedLoss) implements Serializable {

    /** Tasks {@code 0..tasks-1} of a task set, each with the learned loss and with the baseline. */
    public static List<MetaTestUnit> bothMethods(String taskSet, int tasks) {
        List<MetaTestUnit> units = new ArrayList<>(2 * tasks);
        for (int t = 0; t < tasks; t++) {
            units.add(new MetaTestUnit(taskSet, t, true));
            units.add(new MetaTestUnit(taskSet, t, false));
        }
        return units;
    }

    @Override
    public String toString() {
        return taskSet + " task " + task + (learnedLoss ? " with the learned loss" : " with the task loss");
    }
}
