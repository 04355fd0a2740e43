package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.experiments.goalreaching.DemonstrationsExperiment.Cloning;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.nn.FlatParameters;
import io.ml3spark.optim.Adam;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * Each test target: the stored initial policy trained by SGD on the learned loss over its own
 * real rollouts, against one policy cloned from all the training targets' demonstrations.
 */
final class DemonstrationsMetaTest implements MetaTester {
    private static final long serialVersionUID = 1L;

    private final Demonstrations demonstrations;
    private final LearnedLoss learnedLoss;
    private final Targets test;
    private final int steps;
    private final double learningRate;
    private final Cloning cloning;

    DemonstrationsMetaTest(Demonstrations demonstrations, LearnedLoss learnedLoss, Targets test, int steps,
                           double learningRate, Cloning cloning) {
        this.demonstrations = demonstrations;
        this.learnedLoss = learnedLoss;
        this.test = test;
        this.steps = steps;
        this.learningRate = learningRate;
        this.cloning = cloning;
    }

    int steps() {
        return steps;
    }

    List<double[]> testTargets() {
        return test.testTargets(demonstrations.env());
    }

    @Override
    public List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods(GoalReachingReport.TEST, test.count());
    }

    /**
     * One test target: the learned loss's policy after 0..steps SGD steps on its own real
     * rollouts, or the cloned policy (the same at every step); the final fingertip distance.
     */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        GoalTasks goalTasks = demonstrations.goalTasks();
        GoalEnvironment env = demonstrations.env();
        double[] target = testTargets().get(unit.task());
        double[] goals = test.goalOf(env, target);
        Tensor goal = demonstrations.goalTensor(backend, goals);
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        List<Tensor> theta = unit.learnedLoss() ? goalTasks.initialPolicy(backend, runSeed, 1) : clonedPolicy(backend, runSeed);
        int horizon = goalTasks.horizon();
        double[] distance = new double[steps + 1];
        double[] goalDistance = new double[steps + 1];
        double[] paths = new double[2 * 2 * (horizon + 1)];
        for (int step = 0; step <= steps; step++) {
            if (step > 0 && unit.learnedLoss()) {
                Tensor objective = demonstrations.learnedLossOf(loss, goalTasks.rollout(env.simulator(), goals, theta), goal);
                theta = InnerLoop.update(theta, objective, learningRate, false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                Rollout real = goalTasks.rollout(env.simulator(), goals, theta);
                double[][] path = goalTasks.effectorPath(real);
                distance[step] = Math.hypot(path[horizon][0] - target[0], path[horizon][1] - target[1]);
                goalDistance[step] = goalTasks.goalDistance(real, goals);
                GoalReachingReport.keepPath(paths, path, step, steps);
            }
        }
        Map<String, double[]> series = new HashMap<>(Map.of(GoalReachingReport.DISTANCE, distance,
                GoalReachingReport.PATHS, paths));
        if (env.goalsInJointSpace()) {
            series.put(GoalReachingReport.GOAL_DISTANCE, goalDistance);
        }
        return new MetaTestMeasurement(unit, series);
    }

    /**
     * The baseline: the stored initial policy cloned from every training target's demonstration
     * at once (each row with its own goal), by Adam.
     */
    List<Tensor> clonedPolicy(Backend backend, long runSeed) {
        GoalTasks goalTasks = demonstrations.goalTasks();
        Targets train = demonstrations.targets();
        int n = train.listed().size();
        RealRollouts demos = demonstrations.demonstrate(backend, demonstrations.goalsOf(IntStream.range(0, n).toArray()));
        int t = goalTasks.horizon();
        int s = goalTasks.states();
        Tensor states = demonstrations.statesBeforeActions(backend, demos).reshape(1, n * t, s);
        Tensor actions = Demonstrations.tensor(backend, demos.actions())
                .reshape(1, n * t, demonstrations.env().actionNames().size());
        double[] goalStates = goalTasks.goalStates(train.goalsOf(demonstrations.env(), train.listed()));
        Tensor rowGoals = Tensor.constant(backend, goalStates, n, 1, s).broadcastTo(Shape.of(n, t, s)).reshape(1, n * t, s);
        List<Tensor> theta = goalTasks.initialPolicy(backend, runSeed, 1);
        List<Shape> shapes = theta.stream().map(Tensor::shape).toList();
        int size = theta.stream().mapToInt(p -> p.shape().size()).sum();
        Adam adam = new Adam(size, cloning.learningRate(), 0.9, 0.999, 1e-8);
        double[] flat = FlatParameters.flatten(theta);
        for (int step = 0; step < cloning.steps(); step++) {
            List<Tensor> p = FlatParameters.variables(backend, flat, shapes);
            Tensor loss = Demonstrations.cloningError(goalTasks.policy().predict(p, states, rowGoals), actions).sum();
            flat = adam.step(flat, FlatParameters.flatten(Autograd.grad(loss, p, false)));
        }
        return FlatParameters.variables(backend, flat, shapes);
    }
}
