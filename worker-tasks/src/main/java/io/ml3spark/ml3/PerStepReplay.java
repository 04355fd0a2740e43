package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;

/**
 * Meta-updates after every inner step (the reference's sine-frequency loop), by replay: update
 * u of an outer iteration re-runs the tasks' u earlier inner steps with the phis those updates
 * used, held constant, then differentiates one more step on the current phi. What a task
 * carries from one update to the next is recomputed, never stored, so a Spark task stays a
 * pure function of (phis, iteration, task indices).
 */
public record PerStepReplay(double learningRate) implements Serializable {

    /** The meta-gradient of update {@code phis.size() - 1}; {@code phis.get(u)} is the phi update u used. */
    public MetaGradient metaGradient(Backend backend, LearnedLoss loss, List<double[]> phis, InnerProblem problem) {
        List<Tensor> theta = problem.initialParameters();
        for (int k = 0; k + 1 < phis.size(); k++) {
            theta = InnerLoop.update(theta, problem.innerLoss(loss.withConstants(backend, phis.get(k)), theta), learningRate,
                    false);
        }
        return new UnrolledBackprop(new InnerLoop(1, learningRate), false).metaGradient(backend, loss,
                phis.get(phis.size() - 1), problem.from(theta));
    }
}
