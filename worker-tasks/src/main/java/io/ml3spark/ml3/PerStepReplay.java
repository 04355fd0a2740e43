package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * Meta-updates after every inner step (the reference's sine-frequency loop), by replay: update
 * u of an outer iteration re-runs the tasks' u earlier inner steps with the phis those updates
 * used, held constant, then differentiates one more step on the current phi. What a task
 * carries from one update to the next is recomputed, never stored, so a Spark task stays a
 * pure function of (phis, iteration, task indices).
 */
public record PerStepReplay(InnerLoop innerLoop) implements MetaGradientEstimator {

    /** One update per inner step. */
    @Override
    public int updatesPerIteration() {
        return innerLoop.steps();
    }

    /** The iteration's first update: one differentiable step from the problem's start. */
    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, double[] phi, InnerProblem problem, long noiseSeed) {
        return metaGradient(backend, loss, List.of(phi), problem);
    }

    @Override
    public MetaGradient estimate(Backend backend, LearnedLoss loss, List<double[]> phis, TaskGroup group) {
        return metaGradient(backend, loss, phis, group.problem());
    }

    /** The meta-gradient of update {@code phis.size() - 1}; {@code phis.get(u)} is the phi update u used. */
    public MetaGradient metaGradient(Backend backend, LearnedLoss loss, List<double[]> phis, InnerProblem problem) {
        MetaGradientEstimator.checkUpdate(phis, updatesPerIteration());
        double learningRate = innerLoop.learningRate();
        List<Tensor> theta = problem.initialParameters();
        for (int k = 0; k + 1 < phis.size(); k++) {
            theta = InnerLoop.update(theta, problem.innerLoss(loss.withConstants(backend, phis.get(k)), theta), learningRate,
                    false);
        }
        return new UnrolledBackprop(new InnerLoop(1, learningRate), false).metaGradient(backend, loss,
                phis.get(phis.size() - 1), problem.from(theta));
    }
}
