package io.ml3spark.control;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.HeldDirections;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * The fixed-point meta-objective on a {@link RolloutProblem} (docs/experiments/mountain-car.md):
 * the last inner step should not move the policy that the steps before it produced. Its value
 * is the mean squared change of the policy's output over the states of that policy's rollout;
 * its gradient is taken with the component along d(task loss before the last step)/dphi
 * removed, and that direction is held ({@link MetaGradient#holding}), so the update leaves
 * what the earlier steps achieve unchanged to first order. Reported: the task loss after the
 * inner steps (summed over them with {@code taskLossAfterEveryStep}), as for backprop.
 */
public record FixedPoint(InnerLoop innerLoop, boolean taskLossAfterEveryStep) implements MetaGradientEstimator {
    public FixedPoint {
        if (innerLoop.steps() < 2) {
            throw new IllegalArgumentException("the fixed-point objective needs inner steps >= 2 (the last step is the one"
                    + " that should not move the policy), got " + innerLoop.steps());
        }
    }

    /**
     * The objective's value {@code move} and the task loss before the last inner step, both
     * differentiable in the learned loss's parameters, and the task loss the backprop objective
     * reports for the same steps ({@code reported}, a number), all from the same rollouts.
     */
    public record Terms(Tensor move, Tensor taskLossBefore, double reported) {
    }

    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed) {
        if (!(problem instanceof RolloutProblem rollouts)) {
            throw new IllegalArgumentException("the fixed-point objective needs a RolloutProblem, got "
                    + problem.getClass().getSimpleName());
        }
        List<Tensor> phiTensors = loss.layout().variables(backend, phi);
        Terms terms = terms(loss.withParameters(phiTensors), rollouts);
        double[] gradient = loss.gradient(terms.move(), phiTensors);
        double[] held = loss.gradient(terms.taskLossBefore(), phiTensors);
        return MetaGradient.of(HeldDirections.project(gradient, new double[][] {held}), new double[] {terms.reported()})
                .holding(held);
    }

    public Terms terms(TrainingObjective loss, RolloutProblem problem) {
        List<Tensor> theta = problem.initialParameters();
        Rollout thetaRollout = problem.rollout(theta);
        List<Tensor> before = null;
        Rollout beforeRollout = null;
        double reported = 0;
        for (int k = 1; k <= innerLoop.steps(); k++) {
            before = theta;
            beforeRollout = thetaRollout;
            theta = InnerLoop.update(theta, problem.innerLoss().apply(loss, thetaRollout), innerLoop.learningRate(), true);
            try (GradMode.Scope ignored = GradMode.set(k < innerLoop.steps())) {
                thetaRollout = problem.rollout(theta); // the last one is only reported, the others are differentiated
            }
            if (k == innerLoop.steps() || taskLossAfterEveryStep) {
                try (GradMode.Scope ignored = GradMode.disabled()) {
                    reported += problem.taskLoss().apply(thetaRollout).item();
                }
            }
        }
        Tensor states = beforeRollout.statesBeforeActions().detach();
        Tensor move = problem.policy().predict(theta, states).sub(problem.policy().predict(before, states));
        return new Terms(move.mul(move).mean(), problem.taskLoss().apply(beforeRollout).sum(), reported);
    }
}
