package io.ml3spark.experiments.sinefrequency;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.ml3.InnerProblem;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;

import java.util.List;

/** Meta-train tasks {@code sin(w x)} drawn afresh each iteration, with the frequency or the MSE as task loss. */
record FrequencyTasks(SineFrequencyOptimizee optimizee, FrequencyTaskLoss taskLoss, SineTaskFamily family,
                      int tasksPerIteration)
        implements TaskSampler {
    private static final long TRAIN_DATA = 1;
    private static final long TRAIN_INIT = 2;

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        long[] dataSeeds = new long[taskIndices.length];
        long[] initSeeds = new long[taskIndices.length];
        for (int i = 0; i < taskIndices.length; i++) {
            dataSeeds[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, taskIndices[i]);
            initSeeds[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, taskIndices[i]);
        }
        TaskBatch batch = family.sample(backend, dataSeeds);
        return TaskGroup.of(new InnerProblem() {
            @Override
            public List<Tensor> initialParameters() {
                return optimizee.initialize(backend, initSeeds);
            }

            @Override
            public Tensor innerLoss(TrainingObjective loss, List<Tensor> frequency) {
                return loss.value(optimizee.predict(frequency, batch.inputs()), batch);
            }

            @Override
            public Tensor taskLoss(List<Tensor> frequency) {
                return taskLoss.perTask(frequency.get(0), optimizee.predict(frequency, batch.inputs()), batch);
            }
        });
    }
}
