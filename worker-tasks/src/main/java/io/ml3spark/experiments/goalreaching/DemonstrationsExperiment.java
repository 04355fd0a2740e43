package io.ml3spark.experiments.goalreaching;

import io.ml3spark.config.Settings;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;

import java.io.Serializable;

/**
 * ML3 from expert demonstrations (paper Fig. 6; docs/method.md): experts (a PD controller)
 * demonstrate reaching the training targets; an inner step is SGD on the learned loss of
 * (state_t, action_t, goal) over the policy's own rollout on the real simulator, and the
 * meta-objective is the behavioural-cloning error of the updated policy on the target's
 * demonstration ({@link DemonstrationTasks}). The learned loss never sees a demonstration, so it
 * trains policies for targets that have none. The meta-test trains the stored initial policy for
 * each test target with the learned loss, against one policy cloned from all the training
 * targets' demonstrations ({@link DemonstrationsMetaTest}, {@link DemonstrationsReporter}).
 */
public final class DemonstrationsExperiment extends AssembledExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "goal-demonstrations";
    private static final long PHI_INIT = 2;

    /** Behavioural cloning, the baseline: Adam on the demonstrations' squared action error. */
    public record Cloning(int steps, double learningRate) implements Serializable {
        public Cloning {
            if (steps < 1 || !(learningRate > 0)) {
                throw new IllegalArgumentException("behavioural cloning: steps >= 1 and a positive learning rate");
            }
        }
    }

    public DemonstrationsExperiment(GoalTasks goalTasks, LearnedLoss learnedLoss, double[] lossScale, InnerLoop innerLoop,
                                    PdExpert expert, Targets train, Targets test, int testSteps, double testLearningRate,
                                    Cloning cloning) {
        this(learnedLoss, innerLoop, new Demonstrations(goalTasks, checkedScale(goalTasks.env(), learnedLoss, lossScale,
                train, test), expert, train), test, testSteps, testLearningRate, cloning);
    }

    private DemonstrationsExperiment(LearnedLoss learnedLoss, InnerLoop innerLoop, Demonstrations demonstrations,
                                     Targets test, int testSteps, double testLearningRate, Cloning cloning) {
        this(learnedLoss, innerLoop, demonstrations,
                new DemonstrationsMetaTest(demonstrations, learnedLoss, new TestTargets(demonstrations.env(), test), testSteps,
                        testLearningRate, cloning));
    }

    private DemonstrationsExperiment(LearnedLoss learnedLoss, InnerLoop innerLoop, Demonstrations demonstrations,
                                     DemonstrationsMetaTest metaTest) {
        super(NAME, new MetaTraining(learnedLoss, new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0),
                new UnrolledBackprop(innerLoop, false)), new DemonstrationTasks(demonstrations), metaTest,
                new DemonstrationsReporter(demonstrations, metaTest));
    }

    private static double[] checkedScale(GoalEnvironment env, LearnedLoss learnedLoss, double[] lossScale, Targets train,
                                         Targets test) {
        int width = 2 * env.positions() + env.stateNames().size() - env.positions() + env.actionNames().size();
        if (learnedLoss.network().inputSize() != width || lossScale.length != width) {
            throw new IllegalArgumentException("the learned loss and its scale take (state, action, goal) (" + width
                    + " numbers)");
        }
        if (!train.listed().isEmpty() && train.drawn() > 0 || train.listed().isEmpty()) {
            throw new IllegalArgumentException("the demonstrated targets are listed, none drawn");
        }
        train.goalsOf(env, train.listed());
        test.goalsOf(env, test.listed());
        return lossScale;
    }

    public static DemonstrationsExperiment fromSettings(Settings s) {
        return GoalReachingSettings.demonstrations(s);
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, DemonstrationsExperiment::fromSettings);
        }
    }
}
