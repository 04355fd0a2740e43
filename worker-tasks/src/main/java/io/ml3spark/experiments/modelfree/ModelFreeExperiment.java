package io.ml3spark.experiments.modelfree;

import io.ml3spark.config.Settings;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.experiments.goalreaching.Targets;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;

import java.util.List;

/**
 * Model-free ML3 against PPO (paper Fig. 4; docs/method.md "Model-free RL against PPO"). A
 * task is a goal; its Gaussian policy starts from PPO's initialisation, fresh per (run seed,
 * iteration, task) ({@link ModelFreeTasks}). An inner step is SGD on M_phi over a batch of the
 * current policy's episodes on the real simulator, M_phi reading each step's (state, taken
 * action, reward, the policy's mean action, the taken action's log-probability, goal): the last
 * two are where the inner gradient reaches the policy ({@link ModelFreeControl}). The
 * meta-objective is the REINFORCE surrogate on fresh episodes of the updated policy, with the
 * mean return as its baseline, differentiated through the inner steps (second order); with
 * {@code afterEveryStep}, summed over the policies after every step, so that the loss keeps
 * improving a policy it has already improved. The meta-test trains new policies, of several
 * architectures, with the learned loss and with PPO for the same environment steps
 * ({@link ModelFreeMetaTest}, {@link ModelFreeReport}).
 */
public final class ModelFreeExperiment extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "model-free";
    private static final long PHI_INIT = 2;
    /** A measured wall time, not a number of the computation (fingerprints leave it out). */
    public static final String SECONDS_PER_STEP = "seconds_per_env_step";

    private final ModelFreeTasks tasks;
    private final ModelFreeMetaTest metaTest;

    public ModelFreeExperiment(GoalEnvironment env, double[] start, int horizon, PolicyArchitecture architecture,
                               double[] policyScale, double initialLogStd, LearnedLoss learnedLoss, double[] lossScale,
                               InnerLoop innerLoop, int innerEpisodes, int freshEpisodes, boolean afterEveryStep,
                               Targets train, ModelFreeTestSettings metaTest) {
        this(learnedLoss, innerLoop, afterEveryStep, checked(env, start, horizon, policyScale, initialLogStd, learnedLoss,
                lossScale, innerEpisodes, freshEpisodes), architecture, train, innerEpisodes, freshEpisodes, metaTest);
    }

    private ModelFreeExperiment(LearnedLoss learnedLoss, InnerLoop innerLoop, boolean afterEveryStep,
                                ModelFreeControl control, PolicyArchitecture architecture, Targets train,
                                int innerEpisodes, int freshEpisodes, ModelFreeTestSettings metaTest) {
        this(learnedLoss, innerLoop, afterEveryStep,
                new ModelFreeTasks(control, architecture, train, innerEpisodes, freshEpisodes),
                new ModelFreeMetaTest(control, learnedLoss, metaTest, architecture));
    }

    private ModelFreeExperiment(LearnedLoss learnedLoss, InnerLoop innerLoop, boolean afterEveryStep,
                                ModelFreeTasks tasks, ModelFreeMetaTest metaTest) {
        super(NAME, new MetaTraining(learnedLoss, new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0),
                new UnrolledBackprop(innerLoop, afterEveryStep)), tasks, metaTest, new ModelFreeReport(metaTest));
        this.tasks = tasks;
        this.metaTest = metaTest;
    }

    private static ModelFreeControl checked(GoalEnvironment env, double[] start, int horizon, double[] policyScale,
                                            double initialLogStd, LearnedLoss learnedLoss, double[] lossScale,
                                            int innerEpisodes, int freshEpisodes) {
        int s = env.stateNames().size();
        if (start.length != s || policyScale.length != 2 * s || horizon < 1 || innerEpisodes < 1 || freshEpisodes < 2) {
            throw new IllegalArgumentException("a start state of " + s + " numbers, a policy scale of " + 2 * s
                    + ", horizon and inner episodes >= 1 and at least 2 fresh episodes (the baseline needs two)");
        }
        if (learnedLoss.network().inputSize() != lossScale.length) {
            throw new IllegalArgumentException("the learned loss's scale has " + lossScale.length + " numbers for "
                    + learnedLoss.network().inputSize() + " inputs");
        }
        return new ModelFreeControl(env, start, horizon, policyScale, initialLogStd, lossScale);
    }

    public static ModelFreeExperiment fromSettings(Settings s) {
        return ModelFreeSettings.experiment(s);
    }

    /** The environment, policies and learned-loss inputs that meta-training and meta-test share. */
    public ModelFreeControl control() {
        return metaTest.control();
    }

    /** The architecture of the meta-train policies. */
    public PolicyArchitecture trainArchitecture() {
        return tasks.architecture();
    }

    ModelFreeTasks modelFreeTasks() {
        return tasks;
    }

    public List<double[]> testTargets() {
        return metaTest.testTargets();
    }

    /** The goal (positions) of meta-test target {@code target}. */
    public double[] testGoal(int target) {
        return metaTest.settings().targets().goalOf(control().env(), testTargets().get(target));
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, ModelFreeExperiment::fromSettings);
        }
    }
}
