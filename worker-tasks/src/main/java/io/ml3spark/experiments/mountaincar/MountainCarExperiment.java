package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.FixedPoint;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.EvolutionStrategyEstimator;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaGradientEstimator;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.util.List;

/**
 * MountainCar with an intermediate goal (paper Fig. 5 right): a linear policy is trained by
 * SGD on a learned loss of (state_t, action_t, |s_T - goal|); the meta-train task loss is the
 * mean distance of the differentiated rollout to the goal, optionally to an intermediate
 * goal for the first states (extra information that teaches the loss to swing back first).
 * Every outer iteration starts from the same initial policy, as the reference does
 * ({@link MountainCarTasks}); the meta-test trains that policy with the learned loss, against
 * SGD on the task loss without the intermediate goal ({@link MountainCarMetaTest},
 * {@link MountainCarReport}).
 */
public final class MountainCarExperiment extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "mountain-car";

    private static final long PHI_INIT = 2;

    private final MountainCarMetaTest metaTest;

    public MountainCarExperiment(MountainCar car, double[] start, int horizon, Mlp policy, LearnedLoss learnedLoss,
                                 InnerLoop innerLoop, MountainCarTraining training, boolean lossSeesPolicyOutput,
                                 GoalDistance taskLoss, int testSteps, double testLearningRate) {
        this(learnedLoss, estimator(innerLoop, training), training, new MountainCarMetaTest(learnedLoss,
                new MountainCarControl(car, start, horizon, checkedPolicy(policy, learnedLoss), lossSeesPolicyOutput,
                        taskLoss), testSteps, testLearningRate));
    }

    private MountainCarExperiment(LearnedLoss learnedLoss, MetaGradientEstimator estimator, MountainCarTraining training,
                                  MountainCarMetaTest metaTest) {
        super(NAME, new MetaTraining(learnedLoss, new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0), estimator),
                new MountainCarTasks(metaTest.control(), training, estimator), metaTest, new MountainCarReport(metaTest));
        this.metaTest = metaTest;
    }

    private static MlpOptimizee checkedPolicy(Mlp policy, LearnedLoss learnedLoss) {
        if (policy.inputSize() != 2 || policy.outputSize() != 1) {
            throw new IllegalArgumentException("a MountainCar policy maps (position, velocity) to 1 action, got " + policy);
        }
        if (learnedLoss.network().inputSize() != 4) {
            throw new IllegalArgumentException("the MountainCar learned loss takes (position, velocity, action, distance)"
                    + ", got " + learnedLoss.network());
        }
        return new MlpOptimizee(policy, Init.TORCH_DEFAULT, 0.0);
    }

    /** Backpropagation through the inner steps, an evolution strategy over it, or the fixed-point objective. */
    private static MetaGradientEstimator estimator(InnerLoop innerLoop, MountainCarTraining training) {
        UnrolledBackprop backprop = new UnrolledBackprop(innerLoop, training.lossAfterEveryStep());
        return training.fixedPoint() ? new FixedPoint(innerLoop, training.lossAfterEveryStep())
                : training.evolutionStrategy() != null
                ? new EvolutionStrategyEstimator(training.evolutionStrategy(), backprop) : backprop;
    }

    /** Builds the experiment from its config section (see conf/mountain-car.conf). */
    public static MountainCarExperiment fromSettings(Settings s) {
        return MountainCarSettings.experiment(s);
    }

    public GoalDistance taskLoss() {
        return metaTest.control().taskLoss();
    }

    public MountainCarControl control() {
        return metaTest.control();
    }

    /** The meta-test's policies after each step, learned loss and baseline, measured in this thread. */
    public MetaTestRollouts metaTestRollouts(Backend backend, double[] phi, long runSeed) {
        return metaTest.rollouts(backend, phi, runSeed);
    }

    /** The fixed-point objective's terms (see {@link FixedPoint}) from the run's initial policy. */
    FixedPoint.Terms fixedPointTerms(Backend backend, List<Tensor> phiTensors, long runSeed) {
        if (!(estimator() instanceof FixedPoint fixedPoint)) {
            throw new IllegalStateException("meta-training does not use the fixed-point objective");
        }
        return fixedPoint.terms(learnedLoss().withParameters(phiTensors),
                control().problem(control().initialPolicy(backend, runSeed, 0)));
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, MountainCarExperiment::fromSettings);
        }
    }
}
