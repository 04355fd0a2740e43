package io.ml3spark.experiments.goalreaching;

import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/** The iteration's tasks: their goals, the stored initial policy, rollouts through the current ensemble. */
final class GoalReachingTasks implements TaskSampler {
    private static final long serialVersionUID = 1L;

    private final GoalReachingControl control;
    private final Targets train;

    GoalReachingTasks(GoalReachingControl control, Targets train) {
        this.control = control;
        this.train = train;
    }

    Targets targets() {
        return train;
    }

    @Override
    public int tasksPerIteration() {
        return train.perIteration();
    }

    /** Training target {@code task} of outer iteration {@code iteration}. */
    double[] trainTarget(long runSeed, long iteration, int task) {
        return train.trainTarget(control.env(), runSeed, iteration, task);
    }

    /** The goals (positions, flat) of the listed tasks of outer iteration {@code iteration}. */
    double[] goals(long runSeed, long iteration, int[] taskIndices) {
        List<double[]> targets = new ArrayList<>();
        for (int t : taskIndices) {
            targets.add(trainTarget(runSeed, iteration, t));
        }
        return train.goalsOf(control.env(), targets);
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return TaskGroup.of(control.problem(backend, control.requireEnsemble(), goals(runSeed, iteration, taskIndices),
                control.goalTasks().initialPolicy(backend, runSeed, taskIndices.length)));
    }
}
