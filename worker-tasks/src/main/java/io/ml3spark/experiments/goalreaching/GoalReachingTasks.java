package io.ml3spark.experiments.goalreaching;

import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;

/** The iteration's tasks: their goals, the stored initial policy, rollouts through the current ensemble. */
record GoalReachingTasks(GoalReachingControl control, Targets targets) implements TaskSampler {
    @Override
    public int tasksPerIteration() {
        return targets.perIteration();
    }

    /** Training target {@code task} of outer iteration {@code iteration}. */
    double[] trainTarget(long runSeed, long iteration, int task) {
        return targets.trainTarget(control.env(), runSeed, iteration, task);
    }

    /** The goals (positions, flat) of the listed tasks of outer iteration {@code iteration}. */
    double[] goals(long runSeed, long iteration, int[] taskIndices) {
        List<double[]> drawn = new ArrayList<>();
        for (int t : taskIndices) {
            drawn.add(trainTarget(runSeed, iteration, t));
        }
        return targets.goalsOf(control.env(), drawn);
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return TaskGroup.of(control.problem(backend, control.requireEnsemble(), goals(runSeed, iteration, taskIndices),
                control.goalTasks().initialPolicy(backend, runSeed, taskIndices.length)));
    }
}
