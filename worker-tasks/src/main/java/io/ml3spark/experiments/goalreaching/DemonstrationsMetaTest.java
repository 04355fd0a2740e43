package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
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

import java.util.List;
import java.util.stream.IntStream;

/**
 * Each test target: the stored initial policy trained by SGD on the learned loss over its own
 * real rollouts, against one policy cloned from all the training targets' demonstrations.
 */
record DemonstrationsMetaTest(Demonstrations demonstrations, LearnedLoss learnedLoss, TestTargets tests, int steps,
                              double learningRate, Cloning cloning) implements TargetsMetaTester {
    /**
     * One test target: the learned loss's policy after 0..steps SGD steps on its own real
     * rollouts, or the cloned policy (the same at every step); the final fingertip distance.
     */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        GoalTasks goalTasks = demonstrations.goalTasks();
        GoalEnvironment env = demonstrations.env();
        double[] goals = tests.goal(unit.task());
        Tensor goal = demonstrations.goalTensor(backend, goals);
        TrainingObjective loss = learnedLoss.withConstants(backend, phi);
        List<Tensor> theta = unit.learnedLoss() ? goalTasks.initialPolicy(backend, runSeed, 1) : clonedPolicy(backend, runSeed);
        RealRolloutSeries measured = tests.recorder(goalTasks, unit.task(), steps);
        for (int step = 0; step <= steps; step++) {
            if (step > 0 && unit.learnedLoss()) {
                Tensor objective = demonstrations.learnedLossOf(loss, goalTasks.rollout(env.simulator(), goals, theta), goal);
                theta = InnerLoop.update(theta, objective, learningRate, false);
            }
            measured.record(step, theta);
        }
        return new MetaTestMeasurement(unit, measured.series());
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
