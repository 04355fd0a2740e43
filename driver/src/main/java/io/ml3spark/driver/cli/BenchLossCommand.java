package io.ml3spark.driver.cli;

import io.ml3spark.bench.LossFunctionBenchmark;
import io.ml3spark.driver.config.ConfigError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

/** {@code bench-loss}: a learned loss's cost per DL4J minibatch against DL4J's own loss (no Spark). */
@Command(name = "bench-loss", mixinStandardHelpOptions = true,
        description = "Benchmark a learned loss as a DL4J loss function against LossMSE and LossMCXENT, per minibatch.")
public final class BenchLossCommand implements Callable<Integer> {
    @Option(names = "--batches", split = ",", paramLabel = "N", description = "Minibatch sizes (default: 32,256,1024).")
    List<Integer> batches = List.of(32, 256, 1024);

    @Option(names = "--seconds", description = "Measured seconds per row (default: 2).")
    double seconds = 2.0;

    @Override
    public Integer call() {
        for (int b : batches) {
            if (b < 1 || b > BenchCommand.MAX_BATCH) {
                throw new ConfigError("--batches: minibatch sizes must be in [1, " + BenchCommand.MAX_BATCH + "], got " + b);
            }
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new ConfigError("--seconds: a number of seconds in (0, 3600], got " + seconds);
        }
        LossFunctionBenchmark.run(System.out, batches, seconds);
        return 0;
    }
}
