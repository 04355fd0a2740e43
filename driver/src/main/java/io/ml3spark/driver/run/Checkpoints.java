package io.ml3spark.driver.run;

import io.ml3spark.driver.train.Adam;
import io.ml3spark.driver.train.TrainingState;

import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints of the outer loop in a run directory's {@code checkpoints/}: one
 * {@link Safetensors} file per saved iteration ({@code iter-000050.safetensors}) holding
 * phi and Adam's moments (and the best phi so far, with its iteration and task loss, when the
 * run keeps its best), with the iteration and Adam's step count in the metadata and a
 * checksum of the data. Written atomically; the newest {@code keep} are kept.
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    private static final String FORMAT = "ml3-spark-checkpoint-v1";

    private final RunDirectory run;
    private final int keep;

    public Checkpoints(RunDirectory run, int keep) {
        this.run = run;
        this.keep = keep;
    }

    public void save(TrainingState state, String experiment, long seed) {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        int n = state.phi().length;
        tensors.put("phi", new Safetensors.Entry(state.phi(), new int[] {n}));
        tensors.put("adam.m", new Safetensors.Entry(state.adam().m(), new int[] {n}));
        tensors.put("adam.v", new Safetensors.Entry(state.adam().v(), new int[] {n}));
        Map<String, String> meta = new LinkedHashMap<>();
        if (state.best() != null) {
            tensors.put("best.phi", new Safetensors.Entry(state.best().phi(), new int[] {n}));
            meta.put("best.iteration", Integer.toString(state.best().iteration()));
            meta.put("best.task-loss", Double.toString(state.best().taskLoss()));
        }
        meta.put("format", FORMAT);
        meta.put("iteration", Integer.toString(state.iteration()));
        meta.put("adam.step", Long.toString(state.adam().step()));
        meta.put("experiment", experiment);
        meta.put("seed", Long.toString(seed));
        run.write(DIR + "/" + name(state.iteration()), Safetensors.encode(tensors, meta));
        List<String> all = run.list(DIR, ".safetensors");
        for (int i = 0; i + keep < all.size(); i++) {
            run.delete(DIR + "/" + all.get(i));
        }
    }

    static String name(int iteration) {
        return String.format("iter-%06d.safetensors", iteration);
    }

    /** The newest checkpoint that decodes and passes its checksum; broken newer ones are reported on {@code log}. */
    public Optional<TrainingState> latestValid(PrintStream log) {
        List<String> all = run.list(DIR, ".safetensors");
        for (int i = all.size() - 1; i >= 0; i--) {
            String file = DIR + "/" + all.get(i);
            try {
                return Optional.of(decode(run.read(file), run.uri() + "/" + file));
            } catch (Safetensors.CorruptFileException | NumberFormatException e) {
                log.printf("[train] skipping checkpoint %s: %s%n", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    static TrainingState decode(byte[] bytes, String source) {
        Safetensors.Contents c = Safetensors.decode(bytes, source);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new Safetensors.CorruptFileException(source, "not a checkpoint (format '" + c.metadata().get("format") + "')");
        }
        double[] phi = c.tensor("phi", source).values();
        double[] m = c.tensor("adam.m", source).values();
        double[] v = c.tensor("adam.v", source).values();
        if (m.length != phi.length || v.length != phi.length) {
            throw new Safetensors.CorruptFileException(source, "phi and Adam moments differ in size");
        }
        TrainingState.Best best = null;
        if (c.metadata().containsKey("best.iteration")) {
            double[] bestPhi = c.tensor("best.phi", source).values();
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
        return new TrainingState(Integer.parseInt(c.metadata().get("iteration")), phi,
                new Adam.State(m, v, Long.parseLong(c.metadata().get("adam.step"))), best);
    }
}
