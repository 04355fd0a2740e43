package io.ml3spark.ml3;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The ML3 meta-gradient by backpropagation through the inner loop (exact second order): K SGD
 * steps on the learned loss M_phi, each kept in the graph, then the task loss of the adapted
 * parameters (or, with {@code taskLossAfterEveryStep}, its sum over every step's parameters),
 * differentiated with respect to phi.
 */
public record UnrolledBackprop(InnerLoop innerLoop, boolean taskLossAfterEveryStep) implements MetaGradientEstimator {

    /** As {@link #metaGradient}: backpropagation samples nothing. */
    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed) {
        return metaGradient(backend, loss, phi, problem);
    }

    /** The summed meta-gradient of the problem's tasks, and their task losses. */
    public MetaGradient metaGradient(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem) {
        List<Tensor> phiTensors = loss.layout().variables(backend, phi);
        Tensor perTask = taskLossAfterSteps(loss.withParameters(phiTensors), problem, true);
        return MetaGradient.of(loss.gradient(perTask.sum(), phiTensors), perTask.toArray());
    }

    /**
     * Each task's loss after the inner steps on {@code learnedLoss} (summed over the steps with
     * {@code taskLossAfterEveryStep}); {@code differentiable}: the steps stay in the graph, so
     * the result can be differentiated to phi, else it is a value only.
     */
    public Tensor taskLossAfterSteps(TrainingObjective learnedLoss, InnerProblem problem, boolean differentiable) {
        List<Tensor> theta = problem.initialParameters();
        Tensor perTask = null;
        for (int k = 1; k <= innerLoop.steps(); k++) {
            theta = InnerLoop.update(theta, problem.innerLoss(learnedLoss, theta), innerLoop.learningRate(), differentiable);
            if (k == innerLoop.steps() || taskLossAfterEveryStep) {
                Tensor afterStep;
                try (GradMode.Scope ignored = GradMode.set(differentiable)) {
                    afterStep = problem.taskLoss(theta);
                }
                perTask = perTask == null ? afterStep : perTask.add(afterStep);
            }
        }
        return perTask;
    }
}
