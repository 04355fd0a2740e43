package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.control.dynamics.DynamicsEnsemble;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.io.Serializable;
import java.util.List;

/**
 * The control problem model-based goal reaching meta-trains and meta-tests on: the shared goal
 * tasks, the learned loss's input scale, the task loss, and the learned dynamics ensemble that
 * the meta-train rollouts go through (null before the first fit).
 */
final class GoalReachingControl implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GoalTasks goalTasks;
    private final double[] lossScale;
    private final boolean distanceGradient;
    private final GoalReachingLoss taskLoss;
    private final DynamicsEnsemble ensemble;

    GoalReachingControl(GoalTasks goalTasks, double[] lossScale, boolean distanceGradient, GoalReachingLoss taskLoss,
                        DynamicsEnsemble ensemble) {
        this.goalTasks = goalTasks;
        this.lossScale = lossScale.clone();
        this.distanceGradient = distanceGradient;
        this.taskLoss = taskLoss;
        this.ensemble = ensemble;
    }

    GoalReachingControl withEnsemble(DynamicsEnsemble newEnsemble) {
        return new GoalReachingControl(goalTasks, lossScale, distanceGradient, taskLoss, newEnsemble);
    }

    GoalTasks goalTasks() {
        return goalTasks;
    }

    GoalEnvironment env() {
        return goalTasks.env();
    }

    GoalReachingLoss taskLoss() {
        return taskLoss;
    }

    /** The ensemble the tasks roll out in now; null before the first fit. */
    DynamicsEnsemble ensemble() {
        return ensemble;
    }

    DynamicsEnsemble requireEnsemble() {
        if (ensemble == null) {
            throw new IllegalStateException(GoalReachingExperiment.NAME + ": no dynamics model has been fitted yet");
        }
        return ensemble;
    }

    /**
     * The tasks of goals (positions, flat {@code [B * P]}) from {@code theta}, rolled out in
     * {@code through}; the learned loss sees each goal as its goal state.
     */
    RolloutProblem problem(Backend backend, Environment through, double[] goals, List<Tensor> theta) {
        int p = env().positions();
        int b = goals.length / p;
        Tensor goal = Tensor.constant(backend, goals, b, 1, p);
        Tensor goalState = Tensor.constant(backend, goalTasks.goalStates(goals), b, 1, goalTasks.states());
        return new RolloutProblem(through, goalTasks.policyFor(goals), goalTasks.start(), goalTasks.horizon(), theta,
                (loss, r) -> learnedLossOf(loss, r, goalState), r -> taskLoss.perTask(r.states(), goal));
    }

    /**
     * M_phi on each step's scaled (state, action, |s_T - goal state|), averaged over steps,
     * summed over tasks; the distance is data unless {@code distanceGradient}.
     */
    private Tensor learnedLossOf(TrainingObjective loss, Rollout r, Tensor goalState) {
        int b = r.states().shape().dim(0);
        Tensor distance = Functional.norm(r.finalState().sub(goalState), 2, false).reshape(b, 1, 1)
                .broadcastTo(Shape.of(b, r.horizon(), 1));
        if (!distanceGradient) {
            distance = distance.detach();
        }
        return goalTasks.learnedLoss(loss, r, lossScale, distance);
    }
}
