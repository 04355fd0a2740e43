package io.ml3spark.experiments.table;

import java.io.Serializable;

/** A synthetic family of table tasks: task {@code task}'s rows, {@code {features..., label}}, from a seed. */
public interface TaskFamily extends Serializable {
    int features();

    /** Task {@code task}'s rows from {@code seed}; the same arguments give the same rows anywhere. */
    double[][] rows(long seed, long task);

    /** Task {@code task}'s id in a table of a family, e.g. {@code task-000042}. */
    static String taskId(long task) {
        return String.format(java.util.Locale.ROOT, "task-%06d", task);
    }
}
