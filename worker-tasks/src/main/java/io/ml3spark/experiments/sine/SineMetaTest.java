package io.ml3spark.experiments.sine;

import io.ml3spark.experiments.MetaTestMeasurement;
import io.ml3spark.experiments.MetaTestUnit;
import io.ml3spark.experiments.MetaTester;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.MetaTest;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.ml3spark.experiments.sine.SineRegression.TEST_DATA;
import static io.ml3spark.experiments.sine.SineRegression.TEST_INIT;
import static io.ml3spark.experiments.sine.SineRegression.TRAIN_DATA;

/**
 * SGD from a fresh optimizee (PyTorch's default init, as the reference code's meta-test) on the
 * learned loss or the MSE, on the test tasks and on the fixed train tasks if there are any.
 */
final class SineMetaTest implements MetaTester {
    private static final long serialVersionUID = 1L;

    private final LearnedLoss learnedLoss;
    private final SineTasks trainTasks;
    private final SineTaskFamily testTasks;
    private final int testTaskCount;
    private final int steps;
    private final double learningRate;
    private final MlpOptimizee optimizee;

    SineMetaTest(MetaObjective objective, SineTasks trainTasks, SineTaskFamily testTasks, int testTaskCount, int steps,
                 double learningRate) {
        this.learnedLoss = objective.learnedLoss();
        this.trainTasks = trainTasks;
        this.testTasks = testTasks;
        this.testTaskCount = testTaskCount;
        this.steps = steps;
        this.learningRate = learningRate;
        MlpOptimizee train = (MlpOptimizee) objective.optimizee();
        this.optimizee = new MlpOptimizee(train.network(), Init.TORCH_DEFAULT, 0.0);
    }

    int testTaskCount() {
        return testTaskCount;
    }

    int trainTaskCount() {
        return trainTasks.fixedTasks();
    }

    @Override
    public List<MetaTestUnit> units() {
        List<MetaTestUnit> units = new ArrayList<>(MetaTestUnit.bothMethods("test", testTaskCount));
        units.addAll(MetaTestUnit.bothMethods("train", trainTaskCount()));
        return units;
    }

    /** The unit's task's MSE after each SGD step, and its targets' variance (for NMSE). */
    @Override
    public MetaTestMeasurement measure(Backend backend, double[] phi, long runSeed, MetaTestUnit unit) {
        boolean test = unit.taskSet().equals("test");
        TaskBatch batch = (test ? testTasks : trainTasks.family()).sample(backend,
                new long[] {Seeds.derive(runSeed, test ? TEST_DATA : TRAIN_DATA, unit.task())});
        TrainingObjective objective = unit.learnedLoss() ? learnedLoss.withConstants(backend, phi)
                : TaskLoss.MSE.asObjective();
        double[][] mse = MetaTest.curves(objective, optimizee, TaskLoss.MSE,
                optimizee.initialize(backend, new long[] {Seeds.derive(runSeed, TEST_INIT, unit.task())}), batch,
                steps, learningRate);
        return new MetaTestMeasurement(unit, Map.of("mse", mse[0], "target-variance", batch.targetVariances()));
    }
}
