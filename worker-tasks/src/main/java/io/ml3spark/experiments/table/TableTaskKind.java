package io.ml3spark.experiments.table;

import io.ml3spark.experiments.ClassAccuracy;
import io.ml3spark.experiments.MetricDirection;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.Optimizee;
import io.ml3spark.ml3.SoftmaxClassifier;
import io.ml3spark.ml3.TaskLoss;

/**
 * What a table's label is: a number to regress (MSE, scored by the query MSE) or a class index
 * to classify (an MLP's log-softmax, NLL, scored by the query accuracy).
 */
public enum TableTaskKind {
    REGRESSION("table-regression", "mse", MetricDirection.LOWER_IS_BETTER),
    CLASSIFICATION("table-classification", "accuracy", MetricDirection.HIGHER_IS_BETTER);

    private final String experiment;
    private final String metric;
    private final MetricDirection direction;

    TableTaskKind(String experiment, String metric, MetricDirection direction) {
        this.experiment = experiment;
        this.metric = metric;
        this.direction = direction;
    }

    /** The experiment's config name. */
    public String experiment() {
        return experiment;
    }

    /** The meta-test's metric on the query rows, and its direction. */
    public String metric() {
        return metric;
    }

    public MetricDirection direction() {
        return direction;
    }

    /** The optimizee predicting from {@code network}: its output, or its log-softmax over the classes. */
    public Optimizee optimizee(MlpOptimizee network) {
        return this == REGRESSION ? network : new SoftmaxClassifier(network);
    }

    /** The task's own loss: the baseline's objective and the meta-objective. */
    public TaskLoss taskLoss() {
        return this == REGRESSION ? TaskLoss.MSE : TaskLoss.NLL;
    }

    /** The metric per task, as the meta-test records it per step. */
    public TaskLoss score() {
        return this == REGRESSION ? TaskLoss.MSE : ClassAccuracy.PER_TASK;
    }
}
