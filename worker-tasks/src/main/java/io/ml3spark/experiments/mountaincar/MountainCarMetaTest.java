package io.ml3spark.experiments.mountaincar;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestMeasurements;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * From the run's initial policy, {@code steps} SGD steps on the learned loss and on the task loss
 * without the intermediate goal; one unit per method, each measuring the policy after every step.
 */
record MountainCarMetaTest(LearnedLoss learnedLoss, MountainCarControl control, int steps, double learningRate)
        implements MetaTester {
    /** The state component that is the car's position. */
    private static final int POSITION = 0;

    /** Element s of each list is the policy after s steps, with its rollout's positions and its gain. */
    MetaTestRollouts rollouts(Backend backend, double[] phi, long runSeed) {
        return new MetaTestRollouts(trainedPolicies(backend, phi, runSeed, true),
                trainedPolicies(backend, phi, runSeed, false));
    }

    /** One task, the run's initial policy. */
    @Override
    public List<MetaTestUnit> units() {
        return MetaTestUnit.bothMethods("test", 1);
    }

    /** Per step, the policy's gain and its rollout's positions, one rollout after another. */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        List<TestedPolicy> policies = trainedPolicies(backend, phi, runSeed, unit.learnedLoss());
        int horizon = control.horizon();
        double[] positions = new double[policies.size() * (horizon + 1)];
        double[] gains = new double[policies.size() * 2];
        for (int s = 0; s < policies.size(); s++) {
            System.arraycopy(policies.get(s).positions(), 0, positions, s * (horizon + 1), horizon + 1);
            System.arraycopy(policies.get(s).gain(), 0, gains, 2 * s, 2);
        }
        return new MetaTestMeasurement(unit, Map.of("positions", positions, "gains", gains));
    }

    /** The policies of one method back from its unit's measurement. */
    List<TestedPolicy> policies(MetaTestMeasurements measured, boolean learned) {
        int horizon = control.horizon();
        double[] positions = measured.series("test", 0, learned, "positions");
        double[] gains = measured.series("test", 0, learned, "gains");
        List<TestedPolicy> policies = new ArrayList<>();
        for (int s = 0; s <= steps; s++) {
            policies.add(new TestedPolicy(Arrays.copyOfRange(positions, s * (horizon + 1), (s + 1) * (horizon + 1)),
                    Arrays.copyOfRange(gains, 2 * s, 2 * s + 2)));
        }
        return policies;
    }

    /** The policies after 0..steps steps on the learned loss, or on the task loss without the intermediate goal. */
    private List<TestedPolicy> trainedPolicies(Backend backend, double[] phi, long runSeed, boolean learned) {
        if (learned) {
            TrainingObjective loss = learnedLoss.withParameters(learnedLoss.layout().variables(backend, phi));
            return trainedPolicies(backend, runSeed, r -> control.learnedLossOf(loss, r));
        }
        GoalDistance testLoss = control.taskLoss().withoutIntermediateGoal();
        return trainedPolicies(backend, runSeed, r -> testLoss.perTask(r).sum());
    }

    private List<TestedPolicy> trainedPolicies(Backend backend, long runSeed, Function<Rollout, Tensor> objective) {
        List<TestedPolicy> policies = new ArrayList<>();
        List<Tensor> theta = control.initialPolicy(backend, runSeed, 0);
        Tensor unitStates = Tensor.constant(backend, new double[] {1, 0, 0, 1}, 1, 2, 2);
        for (int s = 0; s <= steps; s++) {
            if (s > 0) {
                theta = InnerLoop.update(theta, objective.apply(control.rollout(theta)), learningRate, false);
            }
            try (GradMode.Scope ignored = GradMode.disabled()) {
                policies.add(new TestedPolicy(control.rollout(theta).component(POSITION)[0],
                        control.policy().predict(theta, unitStates).toArray()));
            }
        }
        return policies;
    }
}
