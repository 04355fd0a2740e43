package io.ml3spark.driver.cli;

import io.ml3spark.bench.ModelBasedMetaGradientBenchmark;
import io.ml3spark.bench.ModelFreeBenchmark;
import io.ml3spark.bench.Pythons;
import io.ml3spark.bench.SineComparison;
import io.ml3spark.bench.SineMetaGradientBenchmark;
import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.goalreaching.GoalReachingExperiment;
import io.ml3spark.experiments.modelfree.ModelFreeExperiment;
import io.ml3spark.tensor.Precision;
import io.ml3spark.tensor.Backends;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

/** {@code bench}: throughput of the sine meta-gradient per backend and task batch size (no Spark). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmark the sine-regression meta-gradient on one thread: tasks/s and GFLOP/s per backend and batch size.")
public final class BenchCommand implements Callable<Integer> {
    static final int MAX_BATCH = 1 << 20;

    @Option(names = "--batches", split = ",", paramLabel = "B", description = "Task batch sizes (default: 1,16,256).")
    List<Integer> batches = List.of(1, 16, 256);

    @Option(names = "--backends", split = ",", paramLabel = "NAME", description = "Backends (default: all).")
    List<String> backends = Backends.names();

    @Option(names = "--precisions", split = ",", paramLabel = "P",
            description = "float64, float32 (default: both).")
    List<String> precisions = Precision.configNames();

    @Option(names = "--blocks", split = ",", paramLabel = "N",
            description = "Tasks computed at a time within a batch, as meta-train.tasks-per-block"
                    + " (default: auto, each backend's own: 4 on jvm, the whole batch on nd4j).")
    List<String> blocks = List.of("auto");

    @Option(names = "--seconds", description = "Measured seconds per row (default: 3).")
    double seconds = 3.0;

    @Option(names = "--runs", description = "Runs of the sine rows, alternating with torch's; medians printed after (default: 1).")
    int runs = 1;

    @Option(names = "--torch", paramLabel = "PYTHON",
            description = "The same sine meta-gradient batched with torch.func in float32 (python/torch_sine_bench.py),"
                    + " run after the engine's rows in each run: auto (the first of $ML3_PYTHON, python3, /usr/bin/python3"
                    + " that has torch; skipped with a note if none), off, or a python3 (default: auto).")
    String torch = "auto";

    @Option(names = "--reacher-config", paramLabel = "FILE",
            description = "The ReacherGoal config of the model-based row (default: conf/reacher-mbrl.conf; \"\" skips the row).")
    String reacherConfig = "conf/reacher-mbrl.conf";

    @Option(names = "--model-free-configs", split = ",", paramLabel = "FILE",
            description = "Model-free configs of the rollout and model-free meta-gradient rows"
                    + " (default: conf/pointmass-model-free.conf,conf/reacher-model-free.conf; \"\" skips them).")
    List<String> modelFreeConfigs = List.of("conf/pointmass-model-free.conf", "conf/reacher-model-free.conf");

    @Option(names = "--episodes", description = "Episodes per batch of the rollout rows (default: 64).")
    int episodes = 64;

    @Override
    public Integer call() {
        for (int b : batches) {
            if (b < 1 || b > MAX_BATCH) {
                throw new ConfigError("--batches: task batch sizes must be in [1, " + MAX_BATCH + "], got " + b);
            }
        }
        for (String p : precisions) {
            if (!Precision.configNames().contains(p)) {
                throw new ConfigError("--precisions: one of " + Precision.configNames() + ", got '" + p + "'");
            }
        }
        List<Integer> blockSizes = new java.util.ArrayList<>();
        for (String n : blocks) {
            int size = n.equals("auto") ? SineMetaGradientBenchmark.AUTO_BLOCK : parseBlock(n);
            blockSizes.add(size);
        }
        for (String name : backends) {
            if (!Backends.names().contains(name)) {
                throw new ConfigError("--backends: one of " + Backends.names() + ", got '" + name + "'"
                        + (name.equals("cuda") ? " (the CUDA build runs nd4j on the GPU: mvn -Pcuda package, then --backends nd4j)" : ""));
            }
        }
        if (!(seconds > 0 && seconds <= 3600)) {
            throw new ConfigError("--seconds: a number of seconds in (0, 3600], got " + seconds);
        }
        if (runs < 1 || runs > 100) {
            throw new ConfigError("--runs: a number of runs in [1, 100], got " + runs);
        }
        Optional<String> python = torchPython();
        if (episodes < 1 || episodes > 4096) {
            throw new ConfigError("--episodes: episodes per batch in [1, 4096], got " + episodes);
        }
        List<ModelFreeExperiment> modelFree = new java.util.ArrayList<>();
        for (String f : modelFreeConfigs) {
            if (!f.isEmpty()) {
                modelFree.add(load("--model-free-configs", f, ModelFreeExperiment.class, "a model-free config"));
            }
        }
        SineComparison.run(System.out, batches, backends, precisions.stream().map(Precision::byName).toList(), blockSizes,
                seconds, runs, python);
        if (!reacherConfig.isEmpty()) {
            GoalReachingExperiment reacher = load("--reacher-config", reacherConfig, GoalReachingExperiment.class,
                    "a goal-reaching config");
            System.out.println();
            for (String name : backends) {
                ModelBasedMetaGradientBenchmark.run(System.out, "ReacherGoal", reacher,
                        Backends.byName(name, Precision.FLOAT64), name, seconds);
            }
        }
        for (ModelFreeExperiment x : modelFree) {
            System.out.println();
            for (String name : backends) {
                ModelFreeBenchmark.run(System.out, x.control().env().name(), x, Backends.byName(name, Precision.FLOAT64), name,
                        episodes, seconds);
            }
        }
        return 0;
    }

    /** The python3 that runs the torch rows, or empty: none asked for, or (auto) none here has torch. */
    private Optional<String> torchPython() {
        return switch (torch) {
            case "off" -> Optional.empty();
            case "auto" -> {
                Optional<String> found = Pythons.withModules("torch").stream().findFirst();
                if (found.isEmpty()) {
                    System.out.println("(no torch rows: no python3 here has torch; Debian's python3-torch provides it,"
                            + " or set ML3_PYTHON; --torch off skips this search)");
                }
                yield found;
            }
            default -> {
                if (Pythons.executable(torch, "torch").isEmpty()) {
                    throw new ConfigError("--torch: " + torch + " is not a python3 that imports torch (auto, off, or a python3)");
                }
                yield Optional.of(torch);
            }
        };
    }

    /** The experiment of config {@code file} (option {@code option}), which must be a {@code type}. */
    private static <T extends Experiment> T load(String option, String file, Class<T> type, String what) {
        File f = new File(file);
        if (!f.isFile()) {
            throw new ConfigError(option + ": no file " + file + " (run from the project's directory, or " + option
                    + " \"\" to skip the row)");
        }
        Experiment x = RunConfig.load(f, List.of()).experiment();
        if (!type.isInstance(x)) {
            throw new ConfigError(option + ": " + file + " is not " + what);
        }
        return type.cast(x);
    }

    private static int parseBlock(String n) {
        try {
            int size = Integer.parseInt(n.trim());
            if (size >= 1 && size <= MAX_BATCH) {
                return size;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ConfigError("--blocks: auto or tasks per block in [1, " + MAX_BATCH + "], got " + n);
    }
}
