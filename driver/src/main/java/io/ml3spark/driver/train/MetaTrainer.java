package io.ml3spark.driver.train;

import io.ml3spark.driver.config.MetaTrainSettings;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradient;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.util.ArrayList;
import java.util.List;

/**
 * The ML3 outer loop on Spark, shaped like MLlib's distributed gradient descent: each
 * iteration broadcasts phi, maps groups of task indices to summed meta-gradients on the
 * executors, tree-aggregates them, averages, and takes one Adam step on the driver.
 */
public final class MetaTrainer {
    private final JavaSparkContext spark;
    private final Experiment experiment;
    private final String backend;
    private final long seed;
    private final MetaTrainSettings settings;

    public MetaTrainer(JavaSparkContext spark, Experiment experiment, String backend, long seed,
                       MetaTrainSettings settings) {
        this.spark = spark;
        this.experiment = experiment;
        this.backend = backend;
        this.seed = seed;
        this.settings = settings;
    }

    /** Runs all iterations from {@code phi}; returns the final phi. */
    public double[] train(double[] phi, IterationListener listener) {
        Adam adam = new Adam(phi.length, settings.learningRate(), settings.beta1(), settings.beta2(), settings.epsilon());
        List<int[]> groups = taskGroups(experiment.tasksPerIteration(), settings.tasksPerSparkTask());
        long start = System.nanoTime();
        double[] current = phi;
        for (int it = 1; it <= settings.iterations(); it++) {
            MetaGradient g = metaGradient(current, it, groups);
            current = adam.step(current, g.mean());
            listener.iterationDone(it, g.meanTaskLoss(), g.tasks(), (System.nanoTime() - start) / 1e9);
        }
        return current;
    }

    /** The summed meta-gradient of one iteration's tasks, computed on the executors. */
    public MetaGradient metaGradient(double[] phi, long iteration, List<int[]> groups) {
        Broadcast<double[]> phiB = spark.broadcast(phi);
        try {
            JavaRDD<int[]> tasks = spark.parallelize(groups, groups.size());
            Experiment exp = experiment;
            String backendName = backend;
            long runSeed = seed;
            return tasks.treeAggregate(MetaGradient.zero(phi.length),
                    (acc, group) -> acc.plus(exp.metaGradient(ExecutorDevice.forCurrentTask(backendName), phiB.value(), runSeed,
                            iteration, group)),
                    MetaGradient::plus, settings.treeDepth());
        } finally {
            phiB.destroy();
        }
    }

    /** Task indices 0..tasks-1 in consecutive groups of at most {@code perGroup}. */
    public static List<int[]> taskGroups(int tasks, int perGroup) {
        List<int[]> groups = new ArrayList<>();
        for (int start = 0; start < tasks; start += perGroup) {
            int[] g = new int[Math.min(perGroup, tasks - start)];
            for (int i = 0; i < g.length; i++) {
                g[i] = start + i;
            }
            groups.add(g);
        }
        return groups;
    }
}
