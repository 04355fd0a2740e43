package io.ml3spark.driver.run;

import io.ml3spark.driver.train.TrainingState;
import io.ml3spark.format.Safetensors;
import io.ml3spark.nn.Parameter;
import io.ml3spark.nn.ParameterLayout;
import io.ml3spark.optim.Adam;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Checkpoints of the outer loop in a run directory's {@code checkpoints/}: one
 * {@link Safetensors} file per saved iteration ({@code iter-000050.safetensors}) holding
 * phi and Adam's moments, each as the learned loss's parameters by name
 * ({@code phi.layers.0.weight}, {@code adam.m.layers.0.weight}, ...), and the best phi so far
 * with its iteration and task loss when the run keeps its best, with the iteration, Adam's step count and the run's identity in the
 * metadata; the whole file is checksummed. Written atomically; the newest {@code keep} are
 * kept. On resume a checkpoint is used only if every field agrees with the run
 * ({@link CheckpointCheck}).
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    static final String FORMAT = "ml3-spark-checkpoint-v3";
    /** Version 2 stored each vector flat ({@code phi [n]}); it still loads. */
    static final String FORMAT_V2 = "ml3-spark-checkpoint-v2";

    private final RunDirectory run;
    private final int keep;
    private final RunRecord owner;
    private final ParameterLayout layout;

    /** Checkpoints of {@code owner}'s run in {@code run}, its learned loss's parameters named by {@code layout}. */
    public Checkpoints(RunDirectory run, int keep, RunRecord owner, ParameterLayout layout) {
        this.run = run;
        this.keep = keep;
        this.owner = owner;
        this.layout = layout;
    }

    public void save(TrainingState state) {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        putNamed(tensors, "phi", state.phi());
        putNamed(tensors, "adam.m", state.adam().m());
        putNamed(tensors, "adam.v", state.adam().v());
        Map<String, String> meta = new LinkedHashMap<>();
        if (state.best() != null) {
            putNamed(tensors, "best.phi", state.best().phi());
            meta.put("best.iteration", Integer.toString(state.best().iteration()));
            meta.put("best.task-loss", Double.toString(state.best().taskLoss()));
        }
        meta.put("format", FORMAT);
        meta.put("iteration", Integer.toString(state.iteration()));
        meta.put("adam.step", Long.toString(state.adam().step()));
        meta.put("run-id", owner.runId());
        meta.put("experiment", owner.experiment());
        meta.put("seed", Long.toString(owner.seed()));
        meta.put("trajectory-sha256", owner.trajectorySha256());
        run.write(DIR + "/" + name(state.iteration()), Safetensors.encode(tensors, meta));
        List<String> all = run.list(DIR, ".safetensors");
        for (int i = 0; i + keep < all.size(); i++) {
            run.delete(DIR + "/" + all.get(i));
        }
    }

    /** {@code vector}'s parameters as tensors {@code <prefix>.<parameter name>}, e.g. {@code adam.m.layers.0.weight}. */
    private void putNamed(Map<String, Safetensors.Entry> tensors, String prefix, double[] vector) {
        Map<String, double[]> named = layout.split(vector);
        for (Parameter p : layout.parameters()) {
            tensors.put(prefix + "." + p.name(), new Safetensors.Entry(named.get(p.name()), p.shape().dims()));
        }
    }

    static String name(int iteration) {
        return String.format("iter-%06d.safetensors", iteration);
    }

    /**
     * The newest checkpoint that decodes, passes its checksum and agrees with {@code check};
     * every one skipped is reported on {@code log} with the reason.
     */
    public Optional<TrainingState> latestValid(CheckpointCheck check, PrintStream log) {
        List<String> all = run.list(DIR, ".safetensors");
        for (int i = all.size() - 1; i >= 0; i--) {
            String file = DIR + "/" + all.get(i);
            try {
                return Optional.of(check.verified(decode(run.read(file), run.uri() + "/" + file, layout), all.get(i)));
            } catch (Safetensors.CorruptFileException | CheckpointCheck.Mismatch e) {
                log.printf("[train] skipping checkpoint %s: %s%n", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A checkpoint's state and the metadata that ties it to its run. */
    record Decoded(TrainingState state, Map<String, String> metadata) {
    }

    /** Decodes a checkpoint of a learned loss with parameters {@code layout} (version 3, or 2 with flat vectors). */
    static Decoded decode(byte[] bytes, String source, ParameterLayout layout) {
        return decode(Safetensors.decode(bytes, source), source, layout);
    }

    /** Whether {@code c} says it is a checkpoint, of any version. */
    static boolean isCheckpoint(Safetensors.Contents c) {
        String format = c.metadata().get("format");
        return format != null && format.startsWith("ml3-spark-checkpoint-");
    }

    static Decoded decode(Safetensors.Contents c, String source, ParameterLayout layout) {
        String format = c.metadata().get("format");
        if (!FORMAT.equals(format) && !FORMAT_V2.equals(format)) {
            throw new Safetensors.CorruptFileException(source, "not a checkpoint of this version (format '"
                    + format + "', expected '" + FORMAT + "' or '" + FORMAT_V2 + "')");
        }
        if (!c.wholeFileChecked()) {
            throw new Safetensors.CorruptFileException(source, "no whole-file checksum");
        }
        Function<String, double[]> vector = FORMAT_V2.equals(format) ? prefix -> c.tensor(prefix, source).values()
                : prefix -> named(c, prefix, layout, source);
        double[] phi = vector.apply("phi");
        double[] m = vector.apply("adam.m");
        double[] v = vector.apply("adam.v");
        if (m.length != phi.length || v.length != phi.length) {
            throw new Safetensors.CorruptFileException(source, "phi and Adam moments differ in size");
        }
        try {
            TrainingState.Best best = null;
            if (c.metadata().containsKey("best.iteration")) {
                double[] bestPhi = vector.apply("best.phi");
                if (bestPhi.length != phi.length) {
                    throw new Safetensors.CorruptFileException(source, "phi and the best phi differ in size");
                }
                String bestLoss = c.metadata().get("best.task-loss");
                if (bestLoss == null) {
                    throw new Safetensors.CorruptFileException(source, "best.iteration without best.task-loss");
                }
                best = new TrainingState.Best(Integer.parseInt(c.metadata().get("best.iteration")),
                        Double.parseDouble(bestLoss), bestPhi);
            }
            TrainingState state = new TrainingState(Integer.parseInt(c.metadata().get("iteration")), phi,
                    new Adam.State(m, v, Long.parseLong(c.metadata().get("adam.step"))), best);
            return new Decoded(state, c.metadata());
        } catch (NumberFormatException | NullPointerException e) {
            throw new Safetensors.CorruptFileException(source, "iteration, adam.step or best.* missing or not a number");
        }
    }

    /** The vector {@code prefix} from its tensors by parameter name, each checked against the layout's shape. */
    private static double[] named(Safetensors.Contents c, String prefix, ParameterLayout layout, String source) {
        Map<String, double[]> values = new HashMap<>();
        for (Parameter p : layout.parameters()) {
            Safetensors.Entry e = c.tensor(prefix + "." + p.name(), source);
            if (!Arrays.equals(e.shape(), p.shape().dims())) {
                throw new Safetensors.CorruptFileException(source, "tensor '" + prefix + "." + p.name() + "' has shape "
                        + Arrays.toString(e.shape()) + ", the learned loss needs " + p.shape());
            }
            values.put(p.name(), e.values());
        }
        // Every tensor has been checked against the bytes present, so the vector is no larger than the file.
        return layout.join(p -> values.get(p.name()));
    }
}
