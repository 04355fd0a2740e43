package io.ml3spark.control;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.ml3.TrainingObjective;

import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The control {@link InnerProblem}: policies with parameters theta act in {@code env} for
 * {@code horizon} steps from {@code start}; an inner step descends {@code innerLoss} (the
 * learned loss on features of the rollout), the meta-objective measures {@code taskLoss} of
 * the rollout. Each is computed from a fresh rollout of the parameters it is given.
 */
public record RolloutProblem(Environment env, Optimizee policy, double[] start, int horizon,
                             List<Tensor> initialParameters, BiFunction<TrainingObjective, Rollout, Tensor> innerLoss,
                             Function<Rollout, Tensor> taskLoss) implements InnerProblem {

    public Rollout rollout(List<Tensor> theta) {
        return Rollout.of(env, policy, theta, start, horizon);
    }

    @Override
    public Tensor innerLoss(TrainingObjective learnedLoss, List<Tensor> theta) {
        return innerLoss.apply(learnedLoss, rollout(theta));
    }

    @Override
    public Tensor taskLoss(List<Tensor> theta) {
        return taskLoss.apply(rollout(theta));
    }
}
