package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.GoalReachingLoss;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.RolloutProblem;
import io.ml3spark.control.dynamics.DynamicsEnsemble;
import io.ml3spark.control.dynamics.DynamicsFit;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.AssembledExperiment;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.experiments.NamedExperimentType;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaTraining;
import io.ml3spark.ml3.PhiInit;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.ml3.UnrolledBackprop;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * Model-based ML3 on goal reaching (paper Fig. 3; ReacherGoal and PointmassGoal of
 * docs/method.md): a policy on (state, goal) starts every outer iteration from the run's one
 * stored initial policy, takes SGD steps on the learned loss of (state_t, action_t,
 * |s_T - goal state|) over a rollout through the learned dynamics ensemble, and the meta-objective
 * is the goal-reaching task loss of the updated policy's rollout through the same ensemble
 * ({@link GoalReachingTasks}). Each ML3 task is a goal. The meta-test trains the stored initial
 * policy for new goals with the learned loss and with the task loss, the gradients through the
 * same learned model (or the simulator), and measures the real simulator's rollouts
 * ({@link GoalReachingMetaTest}, {@link GoalReachingReporter}).
 */
public final class GoalReachingExperiment extends AssembledExperiment implements ModelBasedExperiment {
    private static final long serialVersionUID = 1L;
    public static final String NAME = "goal-reaching";

    private static final long PHI_INIT = 2;
    private static final long RANDOM_ACTIONS = 4;

    /** The learned model: its network, fit, ensemble size, first data, refit interval and the clipping of its states. */
    public record LearnedDynamics(ProbabilisticDynamics model, DynamicsFit fit, int members, int randomRollouts,
                                  int refitEvery, double positionLimit, double velocityLimit)
            implements Serializable {
        public LearnedDynamics {
            if (members < 1 || randomRollouts < 1 || refitEvery < 1) {
                throw new IllegalArgumentException("dynamics: members, random rollouts and refit interval must be >= 1");
            }
            if (!(positionLimit > 0 && velocityLimit > 0)) {
                throw new IllegalArgumentException("dynamics: position and velocity limits must be positive");
            }
        }
    }

    /** What a meta-test step's rollout is differentiated through. */
    public enum Gradients {
        /** The real simulator's rollout as data: the loss reaches the policy through its actions only (the reference). */
        ACTIONS,
        /** The real simulator, differentiated (ours is). */
        SIMULATOR,
        /** The learned dynamics model. */
        MODEL
    }

    /**
     * The meta-test: SGD steps and learning rate, and what the learned loss's and the task
     * loss's rollouts are differentiated through (the reference: the learned loss on the real
     * simulator's rollouts as data, the task loss through the learned model).
     */
    public record GoalMetaTest(int steps, double learningRate, Gradients learnedLoss, Gradients taskLoss)
            implements Serializable {
    }

    private final GoalReachingControl control;
    private final GoalReachingTasks trainingTasks;
    private final GoalReachingMetaTest metaTest;
    private final InnerLoop innerLoop;
    private final LearnedDynamics dynamics;

    /**
     * With {@code distanceGradient} the inner step also differentiates the learned loss's goal
     * distance input (the reference detaches it).
     */
    public GoalReachingExperiment(GoalTasks goalTasks, LearnedLoss learnedLoss, double[] lossScale, boolean distanceGradient,
                                  InnerLoop innerLoop, GoalReachingLoss taskLoss, Targets train, Targets test,
                                  GoalMetaTest metaTest, LearnedDynamics dynamics) {
        this(new GoalReachingControl(goalTasks, checkedScale(goalTasks.env(), learnedLoss, lossScale, taskLoss),
                distanceGradient, taskLoss, null), learnedLoss, innerLoop, train, test, metaTest, dynamics);
        train.goalsOf(goalTasks.env(), train.listed());
        test.goalsOf(goalTasks.env(), test.listed());
    }

    private GoalReachingExperiment(GoalReachingControl control, LearnedLoss learnedLoss, InnerLoop innerLoop,
                                   Targets train, Targets test, GoalMetaTest metaTest, LearnedDynamics dynamics) {
        this(control, learnedLoss, innerLoop, new GoalReachingTasks(control, train),
                new GoalReachingMetaTest(control, learnedLoss, new TestTargets(control.env(), test), metaTest), dynamics);
    }

    private GoalReachingExperiment(GoalReachingControl control, LearnedLoss learnedLoss, InnerLoop innerLoop,
                                   GoalReachingTasks tasks, GoalReachingMetaTest metaTest, LearnedDynamics dynamics) {
        super(NAME, new MetaTraining(learnedLoss, new PhiInit(PHI_INIT, Init.TORCH_DEFAULT, 0.0),
                        new UnrolledBackprop(innerLoop, false)), tasks, metaTest,
                new GoalReachingReporter(tasks, metaTest, control.env(), control.goalTasks().horizon()));
        this.control = control;
        this.trainingTasks = tasks;
        this.metaTest = metaTest;
        this.innerLoop = innerLoop;
        this.dynamics = dynamics;
    }

    private static double[] checkedScale(GoalEnvironment e, LearnedLoss learnedLoss, double[] lossScale,
                                         GoalReachingLoss taskLoss) {
        int width = e.stateNames().size() + e.actionNames().size() + 1;
        if (learnedLoss.network().inputSize() != width || lossScale.length != width) {
            throw new IllegalArgumentException("the learned loss and its scale take (state, action, goal distance) ("
                    + width + " numbers)");
        }
        if (taskLoss.positions() != e.positions()) {
            throw new IllegalArgumentException("the task loss measures " + e.positions() + " positions");
        }
        return lossScale;
    }

    /** Builds the experiment from its config section (see conf/reacher-mbrl.conf). */
    public static GoalReachingExperiment fromSettings(Settings s) {
        return GoalReachingSettings.experiment(s);
    }

    public GoalEnvironment environment() {
        return control.env();
    }

    public int horizon() {
        return control.goalTasks().horizon();
    }

    public GoalTasks goalTasks() {
        return control.goalTasks();
    }

    /** Training target {@code task} of outer iteration {@code iteration}. */
    public double[] trainTarget(long runSeed, long iteration, int task) {
        return trainingTasks.trainTarget(runSeed, iteration, task);
    }

    /** The meta-test's targets (the same for every run seed). */
    public List<double[]> testTargets() {
        return metaTest.tests().points();
    }

    @Override
    public int refitEvery() {
        return dynamics.refitEvery();
    }

    @Override
    public ProbabilisticDynamics dynamicsModel() {
        return dynamics.model();
    }

    @Override
    public DynamicsFit dynamicsFit() {
        return dynamics.fit();
    }

    @Override
    public int ensembleMembers() {
        return dynamics.members();
    }

    @Override
    public DynamicsEnsemble ensemble(List<double[]> members) {
        return new DynamicsEnsemble(dynamics.model(), members, dynamics.model().outputScale(), dynamics.positionLimit(),
                dynamics.velocityLimit(), environment().actionLimit());
    }

    @Override
    public GoalReachingExperiment withEnsemble(DynamicsEnsemble newEnsemble) {
        return new GoalReachingExperiment(control.withEnsemble(newEnsemble), learnedLoss(), innerLoop,
                trainingTasks.targets(), metaTest.tests().targets(), metaTest.settings(), dynamics);
    }

    @Override
    public DynamicsEnsemble currentEnsemble() {
        return control.ensemble();
    }

    @Override
    public RealRollouts newRollouts(Backend backend, double[] phi, long runSeed, int iteration) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            if (iteration == 0) {
                return randomActionRollouts(backend, runSeed);
            }
            int tasks = tasksPerIteration();
            double[] goals = trainingTasks.goals(runSeed, iteration + 1, IntStream.range(0, tasks).toArray());
            List<Tensor> theta = goalTasks().initialPolicy(backend, runSeed, tasks);
            RolloutProblem model = control.problem(backend, control.requireEnsemble(), goals, theta);
            TrainingObjective loss = learnedLoss().withConstants(backend, phi);
            for (int k = 0; k < innerLoop.steps(); k++) {
                try (GradMode.Scope on = GradMode.set(true)) {
                    theta = InnerLoop.update(theta, model.innerLoss(loss, theta), innerLoop.learningRate(), false);
                }
            }
            Rollout real = goalTasks().rollout(environment().simulator(), goals, theta);
            return new RealRollouts(GoalTasks.perEpisode(real.states()), GoalTasks.perEpisode(real.actions()));
        }
    }

    /** The reference's first data (docs/method.md): rollouts of actions drawn uniformly within the limits, each step, from the start. */
    private RealRollouts randomActionRollouts(Backend backend, long runSeed) {
        GoalEnvironment env = environment();
        int n = dynamics.randomRollouts();
        int a = env.actionNames().size();
        SplittableRandom rng = new SplittableRandom(Seeds.derive(runSeed, RANDOM_ACTIONS));
        Rollout r = Rollout.driven(env.simulator(), Rollout.startStates(backend, goalTasks().start(), n), goalTasks().horizon(),
                (t, state) -> {
                    double[] u = new double[n * a];
                    for (int i = 0; i < u.length; i++) {
                        u[i] = env.actionLimit() * (2 * rng.nextDouble() - 1);
                    }
                    return Tensor.constant(backend, u, n, 1, a);
                });
        return new RealRollouts(GoalTasks.perEpisode(r.states()), GoalTasks.perEpisode(r.actions()));
    }

    /** Its experiment type, named in META-INF/services for the registry. */
    public static final class Type extends NamedExperimentType {
        public Type() {
            super(NAME, GoalReachingExperiment::fromSettings);
        }
    }
}
