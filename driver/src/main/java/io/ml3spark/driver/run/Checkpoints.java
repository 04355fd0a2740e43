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
 * run keeps its best), with the iteration, Adam's step count and the run's identity in the
 * metadata; the whole file is checksummed. Written atomically; the newest {@code keep} are
 * kept. On resume a checkpoint is used only if every field agrees with the run
 * ({@link CheckpointCheck}).
 */
public final class Checkpoints {
    public static final String DIR = "checkpoints";
    static final String FORMAT = "ml3-spark-checkpoint-v2";

    private final RunDirectory run;
    private final int keep;
    private final RunRecord owner;

    public Checkpoints(RunDirectory run, int keep, RunRecord owner) {
        this.run = run;
        this.keep = keep;
        this.owner = owner;
    }

    public void save(TrainingState state) {
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
                return Optional.of(check.verified(decode(run.read(file), run.uri() + "/" + file), all.get(i)));
            } catch (Safetensors.CorruptFileException | CheckpointCheck.Mismatch e) {
                log.printf("[train] skipping checkpoint %s: %s%n", file, e.getMessage());
            }
        }
        return Optional.empty();
    }

    /** A checkpoint's state and the metadata that ties it to its run. */
    record Decoded(TrainingState state, Map<String, String> metadata) {
    }

    static Decoded decode(byte[] bytes, String source) {
        Safetensors.Contents c = Safetensors.decode(bytes, source);
        if (!FORMAT.equals(c.metadata().get("format"))) {
            throw new Safetensors.CorruptFileException(source, "not a checkpoint of this version (format '"
                    + c.metadata().get("format") + "', expected '" + FORMAT + "')");
        }
        if (!c.wholeFileChecked()) {
            throw new Safetensors.CorruptFileException(source, "no whole-file checksum");
        }
        double[] phi = c.tensor("phi", source).values();
        double[] m = c.tensor("adam.m", source).values();
        double[] v = c.tensor("adam.v", source).values();
        if (m.length != phi.length || v.length != phi.length) {
            throw new Safetensors.CorruptFileException(source, "phi and Adam moments differ in size");
        }
        try {
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
            TrainingState state = new TrainingState(Integer.parseInt(c.metadata().get("iteration")), phi,
                    new Adam.State(m, v, Long.parseLong(c.metadata().get("adam.step"))), best);
            return new Decoded(state, c.metadata());
        } catch (NumberFormatException | NullPointerException e) {
            throw new Safetensors.CorruptFileException(source, "iteration, adam.step or best.* missing or not a number");
        }
    }
}
