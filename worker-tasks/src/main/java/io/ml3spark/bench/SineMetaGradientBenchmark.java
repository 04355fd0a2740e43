package io.ml3spark.bench;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.ml3.InnerLoop;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.MetaGradient;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.MlpOptimizee;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.Backends;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Throughput of the sine-regression meta-gradient (the reference's settings, docs/method.md: optimizee 1-100-10-1
 * ReLU, learned loss 2-50-50-1 ReLU without biases and softplus output, 100 points, one
 * inner SGD step at lr 1e-3, MSE task loss) on one thread, for task batches of several
 * sizes, each backend and each precision it has. A batch is computed {@code block} tasks at a time, as a Spark task
 * computes its group ({@code meta-train.tasks-per-block}). Prints a table of tasks per second
 * and achieved GFLOP/s.
 *
 * <pre>usage: SineMetaGradientBenchmark [--batches 1,16,256] [--backends jvm,nd4j] [--precisions float64,float32]
 *        [--blocks auto] [--seconds 3]</pre>
 */
public final class SineMetaGradientBenchmark {
    static final int POINTS = 100;
    static final int[] OPTIMIZEE = {1, 100, 10, 1};
    static final int[] LEARNED_LOSS = {2, 50, 50, 1};

    private SineMetaGradientBenchmark() {
    }

    public static void main(String[] args) {
        List<Integer> batches = List.of(1, 16, 256);
        List<String> backends = Backends.names();
        List<Integer> blocks = List.of(AUTO_BLOCK);
        List<Precision> precisions = List.of(Precision.values());
        double seconds = 3.0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--batches" -> batches = parseInts(args[++i]);
                case "--backends" -> backends = List.of(args[++i].split(","));
                case "--blocks" -> blocks = args[++i].equals("auto") ? List.of(AUTO_BLOCK) : parseInts(args[i]);
                case "--precisions" -> precisions = Arrays.stream(args[++i].split(",")).map(Precision::byName).toList();
                case "--seconds" -> seconds = Double.parseDouble(args[++i]);
                default -> throw new IllegalArgumentException("unknown argument '" + args[i]
                        + "'; usage: [--batches 1,16,256] [--backends jvm,nd4j] [--precisions float64,float32]"
                        + " [--blocks auto] [--seconds 3]");
            }
        }
        run(System.out, batches, backends, precisions, blocks, seconds);
    }

    private static List<Integer> parseInts(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }

    /** {@code --blocks} value for each backend's own block size ({@code meta-train.tasks-per-block = auto}). */
    public static final int AUTO_BLOCK = 0;

    /**
     * Prints a row per backend, precision, block size and batch size; a precision a backend
     * does not have is left out with a note.
     */
    public static void run(PrintStream out, List<Integer> batches, List<String> backendNames,
                           List<Precision> precisions, List<Integer> blocks, double seconds) {
        printHeader(out);
        run(out, batches, backendNames, precisions, blocks, seconds, true);
    }

    /** One measured row: tasks/s of a backend in a precision at a batch size, computed {@code block} tasks at a time. */
    public record Row(String backend, Precision precision, int block, int batch, double secondsPerBatch) {
        public double tasksPerSecond() {
            return batch / secondsPerBatch;
        }
    }

    public static void printHeader(PrintStream out) {
        out.printf("sine meta-gradient, one thread, %.2f MFLOP per task (analytic, matrix products)%n", flopsPerTask() / 1e6);
        out.printf("%-10s %-9s %6s %6s %12s %12s %10s%n", "backend", "precision", "block", "B", "ms/batch", "tasks/s",
                "GFLOP/s");
    }

    /** Prints one table row (as {@link #printHeader} heads). */
    public static void printRow(PrintStream out, String backend, String precision, int block, int batch, double secondsPerBatch) {
        double tasksPerSecond = batch / secondsPerBatch;
        out.printf("%-10s %-9s %6d %6d %12.3f %12.1f %10.2f%n", backend, precision, block, batch, secondsPerBatch * 1e3,
                tasksPerSecond, tasksPerSecond * flopsPerTask() / 1e9);
    }

    /**
     * Measures and prints the rows, warming each backend up first where {@code warmUp} (a process's
     * first measurement: the JIT compiles the kernels over its first seconds).
     */
    public static List<Row> run(PrintStream out, List<Integer> batches, List<String> backendNames,
                                List<Precision> precisions, List<Integer> blocks, double seconds, boolean warmUp) {
        List<Row> rows = new ArrayList<>();
        for (String name : backendNames) {
            for (Precision precision : precisions) {
                Backend backend;
                try {
                    backend = Backends.byName(name, precision);
                } catch (IllegalArgumentException e) {
                    out.println("(" + e.getMessage() + ")");
                    continue;
                }
                // warm up at every batch size, whose kernels differ
                for (int b = 0; warmUp && b < batches.size(); b++) {
                    measure(backend, batches.get(b), blockOn(backend, blocks.get(0), batches.get(b)),
                            WARM_UP_SECONDS / batches.size());
                }
                for (int requested : blocks) {
                    for (int b : batches) {
                        int block = blockOn(backend, requested, b);
                        Result r = measure(backend, b, block, seconds);
                        printRow(out, name, precision.configName(), block, b, r.secondsPerBatch);
                        rows.add(new Row(name, precision, block, b, r.secondsPerBatch));
                    }
                }
            }
        }
        return rows;
    }

    /** The tasks per block of a batch of {@code batch} tasks: {@code requested}, or the backend's own for {@link #AUTO_BLOCK}. */
    private static int blockOn(Backend backend, int requested, int batch) {
        return Math.min(batch, requested == AUTO_BLOCK ? backend.tasksPerBlock() : requested);
    }

    /** Seconds of warm-up per backend, spread over its batch sizes, before the measured rows. */
    static final double WARM_UP_SECONDS = 3.0;

    private record Result(double secondsPerBatch, double checksum) {
    }

    /** The sine-regression meta-objective at the reference settings. */
    public static MetaObjective objective() {
        Mlp optimizee = new Mlp(OPTIMIZEE, Activation.RELU, Activation.IDENTITY, true);
        Mlp loss = new Mlp(LEARNED_LOSS, Activation.RELU, Activation.SOFTPLUS, false);
        return new MetaObjective(new LearnedLoss(loss, LossInput.PREDICTION_TARGET),
                new MlpOptimizee(optimizee, Init.XAVIER_UNIFORM, 0.0), new InnerLoop(1, 1e-3),
                io.ml3spark.ml3.TaskLoss.MSE);
    }

    private static Result measure(Backend backend, int batch, int block, double seconds) {
        MetaObjective objective = objective();
        SineTaskFamily family = new SineTaskFamily(Range.fixed(1.0), Range.fixed(Math.PI), Range.fixed(1.0),
                new Range(-2.0, 2.0), POINTS);
        double[] phi = objective.learnedLoss().initialPhi(backend, new SplittableRandom(0), Init.XAVIER_UNIFORM, 0.0);
        long iteration = 0;
        double checksum = 0;
        long deadline = System.nanoTime() + (long) (seconds * 0.4e9);
        while (System.nanoTime() < deadline) {
            checksum += once(backend, objective, family, phi, batch, block, iteration++);
        }
        int calls = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            checksum += once(backend, objective, family, phi, batch, block, iteration++);
            calls++;
            now = System.nanoTime();
        } while (now < end || calls < 3);
        return new Result((now - start) / 1e9 / calls, checksum);
    }

    private static double once(Backend backend, MetaObjective objective, SineTaskFamily family, double[] phi,
                               int batch, int block, long iteration) {
        double checksum = 0;
        for (int from = 0; from < batch; from += block) {
            long[] seeds = new long[Math.min(block, batch - from)];
            for (int t = 0; t < seeds.length; t++) {
                seeds[t] = Seeds.derive(0, iteration, from + t);
            }
            TaskBatch tasks = family.sample(backend, seeds);
            List<Tensor> theta = objective.optimizee().initialize(backend, seeds);
            MetaGradient g = objective.metaGradient(backend, phi, tasks, theta);
            checksum += g.gradientSum()[0];
        }
        return checksum;
    }

    /**
     * Multiply-adds of the matrix products one meta-gradient needs, times two. With
     * F_o = N (1*100 + 100*10 + 10*1) for an optimizee pass and F_m = N (2*50 + 50*50 + 50*1)
     * for a learned-loss pass: the optimizee runs forward at theta, backward for
     * dM/dtheta (2 F_o), forward at theta', and the phi-gradient sweep goes back through
     * that forward (2 F_o) and through the theta-gradient (2 F_o, one side of each product
     * depends on phi): 8 F_o. The learned loss runs forward, backward for dM/dyhat, and
     * the sweep goes back through both with both operands depending on phi: 6 F_m.
     */
    static double flopsPerTask() {
        double fo = POINTS * (double) (OPTIMIZEE[0] * OPTIMIZEE[1] + OPTIMIZEE[1] * OPTIMIZEE[2] + OPTIMIZEE[2] * OPTIMIZEE[3]);
        double fm = POINTS * (double) (LEARNED_LOSS[0] * LEARNED_LOSS[1] + LEARNED_LOSS[1] * LEARNED_LOSS[2]
                + LEARNED_LOSS[2] * LEARNED_LOSS[3]);
        return 2 * (8 * fo + 6 * fm);
    }
}
