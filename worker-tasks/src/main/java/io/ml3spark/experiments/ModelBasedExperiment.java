package io.ml3spark.experiments;

import io.ml3spark.control.dynamics.DynamicsEnsemble;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * An experiment whose tasks roll out through a learned dynamics model (model-based RL): the
 * driver fits the model's ensemble before the first iteration, on rollouts of random actions,
 * and again every {@link #refitEvery()} iterations with the real rollouts of the policies the
 * current phi trains added, then meta-trains on {@link #withEnsemble the experiment with that
 * ensemble}. Every refit is a function of the run seed and the phi of its iteration, so a
 * resumed run refits as the uninterrupted one did.
 */
public interface ModelBasedExperiment extends Experiment {
    /** Outer iterations between the model's refits (the first is before iteration 1). */
    int refitEvery();

    ProbabilisticDynamics dynamicsModel();

    DynamicsFit dynamicsFit();

    /** Members of the ensemble, each fitted from its own initialisation and minibatch order. */
    int ensembleMembers();

    /**
     * The real rollouts the refit after {@code iteration} iterations adds to the model's data:
     * random actions at iteration 0; after that, the policies of the next iteration's tasks after
     * their inner steps on the learned loss with {@code phi} (through the current ensemble), run
     * on the real simulator.
     */
    RealRollouts newRollouts(Backend backend, double[] phi, long runSeed, int iteration);

    /** The ensemble of fitted members, as the environment the tasks roll out in. */
    DynamicsEnsemble ensemble(List<double[]> members);

    /** This experiment with its tasks rolled out in {@code ensemble}; the meta-test uses it too. */
    ModelBasedExperiment withEnsemble(DynamicsEnsemble ensemble);

    /** The ensemble the tasks roll out in now; null before the first fit. */
    DynamicsEnsemble currentEnsemble();
}
