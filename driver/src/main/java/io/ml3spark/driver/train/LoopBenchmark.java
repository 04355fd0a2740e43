package io.ml3spark.driver.train;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The meta-training loop measured on Spark: for T tasks per iteration in G Spark tasks, the
 * loop's iterations/s and tasks/s, against the same iterations' meta-gradients computed in
 * this JVM on one thread. With S slots (cores Spark runs tasks on), the loop at best takes
 * the in-process time over min(S, G); the rest is what Spark adds (scheduling, serialisation,
 * the driver's reduction and Adam step).
 */
public record LoopBenchmark(JavaSparkContext sc, File config, PrintStream out) {

    public void run(List<Integer> tasksPerIteration, List<Integer> groupCounts, List<String> executions, double seconds) {
        int slots = sc.defaultParallelism();
        out.printf("meta-training loop on %s (%d slots), %s, %.0f s per row%n", sc.master(), slots, config, seconds);
        out.printf("%-13s %6s %6s %9s %9s %10s %16s %9s %9s%n", "execution", "tasks", "groups", "iter/s", "ms/iter",
                "tasks/s", "1-thread tasks/s", "of slots", "outside");
        for (int tasks : tasksPerIteration) {
            for (int groups : groupCounts) {
                int perGroup = (tasks + Math.min(groups, tasks) - 1) / Math.min(groups, tasks);
                int actualGroups = (tasks + perGroup - 1) / perGroup;
                Map<String, Double> loops = new LinkedHashMap<>();
                for (String execution : executions) {
                    if (!(execution.equals("barrier") && actualGroups > slots)) {
                        loops.put(execution, loopSecondsPerIteration(execution, tasks, perGroup, seconds));
                    }
                }
                // After the loops: a cluster's JVMs have started and settled by then.
                double inProcess = inProcessSecondsPerIteration(tasks, perGroup, seconds / 2);
                for (String execution : executions) {
                    if (loops.containsKey(execution)) {
                        row(execution, tasks, actualGroups, loops.get(execution), inProcess, slots);
                    } else {
                        out.printf("%-13s %6d %6d   (more groups than slots: no barrier segment)%n", execution, tasks,
                                actualGroups);
                    }
                }
            }
        }
    }

    /** Seconds per iteration of the loop over about {@code seconds}, after a probe that sizes it. */
    private double loopSecondsPerIteration(String execution, int tasks, int perGroup, double seconds) {
        double probe = loopSecondsPerIteration(execution, tasks, perGroup, 10);
        int measured = (int) Math.max(10, Math.min(1_000_000, seconds / probe));
        return loopSecondsPerIteration(execution, tasks, perGroup, measured);
    }

    private void row(String execution, int tasks, int groups, double loop, double inProcess, int slots) {
        double ideal = inProcess / Math.min(slots, groups);
        out.printf("%-13s %6d %6d %9.1f %9.3f %10.1f %16.1f %8.0f%% %8.0f%%%n", execution, tasks, groups, 1 / loop,
                1000 * loop, tasks / loop, tasks / inProcess, 100 * ideal / loop, 100 * (1 - ideal / loop));
    }

    private RunConfig config(String execution, int tasks, int perGroup, int iterations) {
        return RunConfig.load(config, List.of("sine-regression.train-tasks.count=" + tasks,
                "sine-regression.train-tasks.resample=true", "meta-train.tasks-per-spark-task=" + perGroup,
                "meta-train.iterations=" + iterations, "meta-train.checkpoint-every=" + iterations,
                "meta-train.init-from=\"\"", "meta-train.execution=" + execution));
    }

    /**
     * Seconds per iteration over the second half of a loop of {@code 2 * measured} iterations
     * (the first half warms up; in barrier mode the second half is its own segments).
     */
    private double loopSecondsPerIteration(String execution, int tasks, int perGroup, int measured) {
        RunConfig cfg = config(execution, tasks, perGroup, 2 * measured);
        Experiment exp = cfg.experiment();
        double[] marks = new double[2];
        new MetaTrainer(sc, exp, cfg.backend(), cfg.seed(), cfg.metaTrain())
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())), (it, g, applied, s) -> {
                    if (it == measured) {
                        marks[0] = s;
                    } else if (it == 2 * measured) {
                        marks[1] = s;
                    }
                }, state -> { });
        return (marks[1] - marks[0]) / measured;
    }

    /**
     * Seconds the JIT gets to compile the kernels in this JVM before the in-process reference is
     * timed: in a cluster the driver has computed nothing before it, and a cold reference reads
     * several times too slow (a local-cluster run read 238 tasks/s, against about 2,000 warm).
     */
    static final double REFERENCE_WARM_UP_SECONDS = 3.0;

    /** Seconds per iteration of the same groups' meta-gradients, one after another on this thread. */
    private double inProcessSecondsPerIteration(int tasks, int perGroup, double seconds) {
        inProcessTimes(tasks, perGroup, REFERENCE_WARM_UP_SECONDS);
        List<Double> times = inProcessTimes(tasks, perGroup, seconds);
        return times.stream().mapToDouble(Double::doubleValue).sum() / times.size();
    }

    /** Each iteration's seconds over at least {@code seconds} and 3 iterations. */
    private List<Double> inProcessTimes(int tasks, int perGroup, double seconds) {
        RunConfig cfg = config("per-iteration", tasks, perGroup, 1);
        Experiment exp = cfg.experiment();
        Backend backend = ExecutorDevice.onDriver(cfg.backend());
        double[] phi = exp.initialPhi(backend, cfg.seed());
        List<int[]> groups = MetaTrainer.taskGroups(tasks, perGroup);
        List<Double> times = new ArrayList<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        for (int it = 1; System.nanoTime() < end || times.size() < 3; it++) {
            long t0 = System.nanoTime();
            for (int[] group : groups) {
                MetaGradients.finite(exp, backend, phi, cfg.seed(), it, group, cfg.metaTrain().tasksPerBlock(backend));
            }
            times.add((System.nanoTime() - t0) / 1e9);
        }
        return times;
    }
}
