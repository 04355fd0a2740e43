package io.ml3spark.bench;

import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.table.TaskFamily;
import io.ml3spark.experiments.table.TableExperiment;
import io.ml3spark.experiments.table.TableTasks;

/**
 * A table experiment fed by its family generated in memory ({@link InMemoryTableTasks}): the same
 * learned loss, inner problem, estimator, feature scaling and tasks per iteration, no table.
 */
public final class InMemoryTableExperiment extends AssembledExperiment {
    private static final long serialVersionUID = 1L;

    /** {@code table} completed with its table's scaling, fed by tasks 0..familyTasks-1 of {@code family}. */
    public InMemoryTableExperiment(TableExperiment table, TaskFamily family, long familySeed, int familyTasks) {
        super(table.name() + "-in-memory", table.metaTraining(), new InMemoryTableTasks(
                ((TableTasks) table.sampler()).problem(), table.setup().split(), family, familySeed, familyTasks,
                table.tasksPerIteration()), table.metaTester(), table.reporter());
    }
}
