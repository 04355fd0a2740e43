package io.ml3spark.experiments.digits;

import io.ml3spark.experiments.digits.DigitClassification.Sgd;
import io.ml3spark.experiments.digits.DigitTasks.Examples;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.SupervisedProblem;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskLoss;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

/**
 * Per task: a fresh optimizee, one SGD step on the learned loss with {@code inner.batchSize}
 * examples (with dropout), then the NLL of the updated optimizee on fresh examples, all
 * drawn from the meta-train task's train half.
 */
record DigitMetaTrainTasks(DigitClassifier.Network network, int tasksPerIteration, Sgd inner, int taskLossExamples,
                           Examples examples)
        implements TaskSampler {
    private static final long TRAIN_DATA = 11;
    private static final long TRAIN_INIT = 12;
    private static final long TRAIN_DROPOUT = 13;

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        int b = taskIndices.length;
        long[] stepData = new long[b];
        long[] lossData = new long[b];
        long[] init = new long[b];
        long[] dropout = new long[b];
        for (int i = 0; i < b; i++) {
            int t = taskIndices[i];
            stepData[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, t, 0);
            lossData[i] = Seeds.derive(runSeed, TRAIN_DATA, iteration, t, 1);
            init[i] = Seeds.derive(runSeed, TRAIN_INIT, iteration, t);
            dropout[i] = Seeds.derive(runSeed, TRAIN_DROPOUT, iteration, t);
        }
        DigitClassifier evaluating = DigitClassifier.evaluating(network);
        return TaskGroup.of(new SupervisedProblem(evaluating.training(dropout),
                examples.sample(backend, stepData, inner.batchSize()), evaluating,
                examples.sample(backend, lossData, taskLossExamples), TaskLoss.NLL,
                evaluating.initialize(backend, init)));
    }
}
