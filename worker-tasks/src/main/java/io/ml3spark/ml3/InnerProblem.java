package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

import java.util.List;

/**
 * A batch of ML3 tasks as the core's meta-gradient estimators see them, in the functional
 * style of {@code higher}: where the tasks' optimizees start, what an inner step descends
 * (the learned loss's value at parameters theta, on the step's data or rollout), and what the
 * meta-objective measures (each task's own loss at theta). An experiment supplies these; the
 * inner loop and the differentiation are the core's ({@link UnrolledBackprop}).
 */
public interface InnerProblem {
    /** Every task's optimizee parameters before the inner loop (leading dimension: the task batch). */
    List<Tensor> initialParameters();

    /** The scalar the inner step descends at {@code theta}: {@code learnedLoss} on theta's predictions or rollout. */
    Tensor innerLoss(TrainingObjective learnedLoss, List<Tensor> theta);

    /** Each task's own loss at {@code theta}, shape {@code [B]}. */
    Tensor taskLoss(List<Tensor> theta);

    /** The same tasks with their optimizees starting at {@code theta} instead. */
    default InnerProblem from(List<Tensor> theta) {
        InnerProblem tasks = this;
        return new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return theta;
            }

            @Override
            public Tensor innerLoss(TrainingObjective learnedLoss, List<Tensor> parameters) {
                return tasks.innerLoss(learnedLoss, parameters);
            }

            @Override
            public Tensor taskLoss(List<Tensor> parameters) {
                return tasks.taskLoss(parameters);
            }
        };
    }
}
