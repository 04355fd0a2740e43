package io.ml3spark.driver.cli;

import io.ml3spark.bench.SineMetaGradientBenchmark;
import io.ml3spark.tensor.backend.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench}: throughput of the sine meta-gradient per backend and task batch size (no Spark). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the sine-regression meta-gradient on one thread: tasks/s and GFLOP/s per backend and batch size.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--batches", split = ",", paramLabel = "B", description = "Task batch sizes (default: 1,16,256).")
    List<Integer> batches = List.of(1, 16, 256);

    @Option(names = "--backends", split = ",", paramLabel = "NAME", description = "Backends (default: all).")
    List<String> backends = Backends.names();

    @Option(names = "--seconds", description = "Measured seconds per row (default: 3).")
    double seconds = 3.0;

    @Override
    public Integer call() {
        SineMetaGradientBenchmark.run(System.out, batches, backends, seconds);
        return 0;
    }
}
