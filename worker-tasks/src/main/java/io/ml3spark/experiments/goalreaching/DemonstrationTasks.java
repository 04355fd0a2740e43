package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The demonstrated targets' tasks, all of them every iteration: the inner step on the policy's
 * own real rollout, the meta-objective its demonstration's cloning error.
 */
record DemonstrationTasks(Demonstrations demonstrations) implements TaskSampler {
    @Override
    public int tasksPerIteration() {
        return demonstrations.targets().listed().size();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        GoalTasks goalTasks = demonstrations.goalTasks();
        double[] goals = demonstrations.goalsOf(taskIndices);
        RealRollouts demos = demonstrations.demonstrate(backend, goals);
        Tensor demoStates = demonstrations.statesBeforeActions(backend, demos);
        Tensor demoActions = Demonstrations.tensor(backend, demos.actions());
        List<Tensor> theta0 = goalTasks.initialPolicy(backend, runSeed, taskIndices.length);
        Tensor goal = demonstrations.goalTensor(backend, goals);
        return TaskGroup.of(new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return theta0;
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> theta) {
                return demonstrations.learnedLossOf(loss, goalTasks.rollout(demonstrations.env().simulator(), goals, theta),
                        goal);
            }

            @Override
            public Tensor taskLoss(List<Tensor> theta) {
                return Demonstrations.cloningError(goalTasks.policyFor(goals).predict(theta, demoStates), demoActions);
            }
        });
    }
}
