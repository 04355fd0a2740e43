package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntToLongFunction;

/**
 * The control problem meta-training and meta-test share: the car from its fixed start state, a
 * policy rolled out over the horizon, the learned loss on (state, action, final goal distance)
 * and the task loss on the goal distance.
 */
public final class MountainCarControl implements Serializable {
    private static final long serialVersionUID = 1L;

    private static final long POLICY_INIT = 1;

    private final MountainCar car;
    private final double[] start;
    private final int horizon;
    private final MlpOptimizee policy;
    private final boolean lossSeesPolicyOutput;
    private final GoalDistance taskLoss;

    MountainCarControl(MountainCar car, double[] start, int horizon, MlpOptimizee policy, boolean lossSeesPolicyOutput,
                       GoalDistance taskLoss) {
        this.car = car;
        this.start = start.clone();
        this.horizon = horizon;
        this.policy = policy;
        this.lossSeesPolicyOutput = lossSeesPolicyOutput;
        this.taskLoss = taskLoss;
    }

    int horizon() {
        return horizon;
    }

    MlpOptimizee policy() {
        return policy;
    }

    GoalDistance taskLoss() {
        return taskLoss;
    }

    /** The control problem from policies {@code theta}: steps descend the learned loss of a rollout, tasks measure its goal distance. */
    RolloutProblem problem(List<Tensor> theta) {
        return new RolloutProblem(car, policy, start, horizon, theta, this::learnedLossOf, taskLoss::perTask);
    }

    /** The run's fixed initial policies of the given tasks (task 0's is the meta-test's). */
    public List<Tensor> initialPolicy(Backend backend, long runSeed, int... taskIndices) {
        return policy.initialize(backend, seeds(taskIndices, t -> Seeds.derive(runSeed, POLICY_INIT, t)));
    }

    /** Fresh initial policies of the given tasks of one outer iteration. */
    List<Tensor> resampledPolicy(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        return policy.initialize(backend, seeds(taskIndices, t -> Seeds.derive(runSeed, POLICY_INIT, iteration, t)));
    }

    static long[] seeds(int[] taskIndices, IntToLongFunction seed) {
        return Arrays.stream(taskIndices).mapToLong(seed::applyAsLong).toArray();
    }

    public Rollout rollout(List<Tensor> theta) {
        return Rollout.of(car, policy, theta, start, horizon);
    }

    /** M_phi averaged over the episode's steps, summed over episodes. */
    Tensor learnedLossOf(TrainingObjective loss, Rollout r) {
        Tensor cost = taskLoss.finalDistance(r).broadcastTo(r.actions().shape());
        return loss.value(lossSeesPolicyOutput ? r.policyOutputs() : r.actions(),
                new TaskBatch(r.statesBeforeActions(), cost));
    }
}
