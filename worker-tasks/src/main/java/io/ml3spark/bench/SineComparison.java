package io.ml3spark.bench;

import io.ml3spark.tensor.Precision;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The sine benchmark, run {@code runs} times, each run the engine's rows and then (where a
 * python3 with torch is given) {@code torch_sine_bench.py}'s, so both sides see the same machine
 * load; then each row's median over the runs, and the engine's ratio to torch.func at each batch
 * size. This shared machine swings by tens of percent between runs: only ratios of medians of
 * alternating runs mean anything.
 */
public final class SineComparison {
    static final String TORCH = "torch.func";

    private SineComparison() {
    }

    public static void run(PrintStream out, List<Integer> batches, List<String> backends, List<Precision> precisions,
                           List<Integer> blocks, double seconds, int runs, Optional<String> python) {
        SineMetaGradientBenchmark.printHeader(out);
        Map<String, Map<Integer, List<Double>>> samples = new LinkedHashMap<>();
        String torchVersion = null;
        for (int r = 1; r <= runs; r++) {
            if (runs > 1) {
                out.println("-- run " + r + " of " + runs);
            }
            for (SineMetaGradientBenchmark.Row row : SineMetaGradientBenchmark.run(out, batches, backends, precisions,
                    blocks, seconds, r == 1)) {
                String label = row.backend() + " " + row.precision().configName() + (blocks.size() > 1 ? " block " + row.block() : "");
                samples.computeIfAbsent(label, k -> new LinkedHashMap<>())
                        .computeIfAbsent(row.batch(), k -> new ArrayList<>()).add(row.tasksPerSecond());
            }
            if (python.isPresent()) {
                try {
                    TorchSineBenchmark.Measured m = TorchSineBenchmark.run(python.get(), batches, seconds);
                    torchVersion = "torch " + m.torch() + " in " + python.get() + (m.blas().isEmpty() ? "" : ", BLAS " + m.blas());
                    for (int b : batches) {
                        double tasksPerSecond = m.tasksPerSecond().get(b);
                        SineMetaGradientBenchmark.printRow(out, TORCH, "float32", b, b, b / tasksPerSecond);
                        samples.computeIfAbsent(TORCH + " float32", k -> new LinkedHashMap<>())
                                .computeIfAbsent(b, k -> new ArrayList<>()).add(tasksPerSecond);
                    }
                } catch (IOException e) {
                    out.println("(torch comparison stopped: " + e.getMessage() + ")");
                    python = Optional.empty();
                    samples.remove(TORCH + " float32");
                }
            }
        }
        if (runs > 1 || samples.containsKey(TORCH + " float32")) {
            printMedians(out, batches, samples, runs, torchVersion);
        }
    }

    private static void printMedians(PrintStream out, List<Integer> batches, Map<String, Map<Integer, List<Double>>> samples,
                                     int runs, String torchVersion) {
        boolean torch = samples.containsKey(TORCH + " float32");
        out.println();
        out.println("tasks/s, median of " + runs + (runs > 1 ? " alternating runs" : " run")
                + (torch ? "; ratio: the engine's median over torch.func's (" + torchVersion + ", one thread)" : ""));
        StringBuilder header = new StringBuilder(String.format("%6s", "B"));
        for (String label : samples.keySet()) {
            header.append(String.format(" %18s", label));
        }
        for (String label : samples.keySet()) {
            if (torch && !label.startsWith(TORCH)) {
                header.append(String.format(" %18s", "ratio " + label));
            }
        }
        out.println(header);
        for (int b : batches) {
            StringBuilder line = new StringBuilder(String.format("%6d", b));
            for (Map<Integer, List<Double>> byBatch : samples.values()) {
                line.append(String.format(" %18.1f", median(byBatch.get(b))));
            }
            for (Map.Entry<String, Map<Integer, List<Double>>> e : samples.entrySet()) {
                if (torch && !e.getKey().startsWith(TORCH)) {
                    double ratio = median(e.getValue().get(b)) / median(samples.get(TORCH + " float32").get(b));
                    line.append(String.format(" %17.2fx", ratio));
                }
            }
            out.println(line);
        }
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
