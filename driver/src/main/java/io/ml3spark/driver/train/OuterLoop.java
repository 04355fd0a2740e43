package io.ml3spark.driver.train;

import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.optim.Adam;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The outer loop's state (phi, Adam, the kept best) and its step: an iteration's meta-updates,
 * each an {@link Updater} step on the meta-gradient of the phis so far. The driver runs it in
 * the per-iteration mode and every barrier task runs it in the segment mode, with the same
 * meta-gradients in the same order, so both give bit-identical phis.
 */
final class OuterLoop {
    /** The meta-gradient of update {@code phis.size() - 1} of {@code iteration}, summed over all its tasks. */
    @FunctionalInterface
    interface UpdateGradient {
        MetaGradient of(List<double[]> phis, int iteration) throws Exception;
    }

    /** What an iteration reports: its last update's meta-gradient and whether any update was applied. */
    record Iteration(int iteration, MetaGradient gradient, boolean applied) implements Serializable {
    }

    private final Adam adam;
    private final Updater updater;
    private final KeepBest keepBest;
    private final int updatesPerIteration;
    private TrainingState state;

    OuterLoop(MetaTrainSettings settings, int updatesPerIteration, TrainingState start) {
        this.adam = new Adam(start.phi().length, settings.learningRate(), settings.beta1(), settings.beta2(),
                settings.epsilon());
        if (start.adam() != null) {
            adam.restore(start.adam());
        }
        this.updater = Updater.holdingDirections(Updater.adam(adam));
        this.keepBest = settings.keepBest() ? new KeepBest(start.best()) : null;
        this.updatesPerIteration = updatesPerIteration;
        this.state = start;
    }

    TrainingState state() {
        return state;
    }

    /** Runs the next iteration; an update whose meta-gradient has no finite task leaves phi as it is. */
    Iteration next(UpdateGradient metaGradient) throws Exception {
        int it = state.iteration() + 1;
        List<double[]> phis = new ArrayList<>();
        double[] phi = state.phi();
        MetaGradient g = null;
        boolean applied = false;
        for (int update = 0; update < updatesPerIteration; update++) {
            phis.add(phi);
            g = metaGradient.of(phis, it);
            if (update == 0 && keepBest != null) {
                keepBest.consider(it - 1, phi, g);
            }
            boolean finite = g.tasks() > 0 && g.isFinite();
            phi = finite ? updater.step(phi, g) : phi;
            applied |= finite;
        }
        state = new TrainingState(it, phi, adam.state(), keepBest != null ? keepBest.best() : state.best());
        return new Iteration(it, g, applied);
    }
}
