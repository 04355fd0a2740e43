package io.ml3spark.driver.run;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.format.Safetensors;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A run directory claimed by one run: locked ({@link RunLock}) for as long as the claim is
 * open, and owned ({@link RunRecord}). A new run only claims a new or empty directory, or,
 * with {@code overwrite}, a directory holding another run, whose files it removes first; a
 * resumed run only claims its own directory, with its own config.
 */
public final class RunClaim implements AutoCloseable {
    public static final String CONFIG_FILE = "config.conf";
    private static final int LISTED = 5;

    private final RunDirectory dir;
    private final RunLock lock;
    private final RunConfig config;
    private final RunRecord record;
    private final boolean resumed;

    private RunClaim(RunDirectory dir, RunLock lock, RunConfig config, RunRecord record, boolean resumed) {
        this.dir = dir;
        this.lock = lock;
        this.config = config;
        this.record = record;
        this.resumed = resumed;
    }

    /** Claims {@code dir} for a new run of {@code cfg} and writes its run.json and config.conf. */
    public static RunClaim fresh(RunDirectory dir, RunConfig cfg, boolean overwrite, PrintStream out) {
        return fresh(dir, cfg, overwrite, out, RunLock.acquire(dir, "train", out));
    }

    private static RunClaim fresh(RunDirectory dir, RunConfig cfg, boolean overwrite, PrintStream out, RunLock lock) {
        try {
            List<String> entries = dir.visibleEntries();
            if (!entries.isEmpty()) {
                String owner = owner(dir, entries);
                if (!overwrite) {
                    throw new RunDirectoryError(dir.uri() + " holds another " + owner + "; pass --overwrite to replace it, "
                            + "train --resume " + dir.uri() + " to continue it, or choose another --out");
                }
                out.printf("[train] --overwrite: removing %s from %s%n", owner, dir.uri());
                removeWhatMl3Wrote(dir, out);
            }
            RunRecord record = RunRecord.start(cfg.experiment().name(), cfg.seed(), cfg.render(), cfg.trajectorySha256());
            dir.write(RunRecord.FILE, record.encode());
            dir.write(CONFIG_FILE, cfg.render());
            return new RunClaim(dir, lock, cfg, record, false);
        } catch (RuntimeException e) {
            lock.close();
            if (dir.created()) {
                dir.remove();
            }
            throw e;
        }
    }

    /**
     * Claims the run in {@code dir} to continue it, with its own config and {@code overrides}
     * on top, which may only change {@link RunConfig#resumable} keys.
     */
    public static RunClaim resume(RunDirectory dir, List<String> overrides, PrintStream out) {
        return resume(dir, overrides, out, RunLock.acquire(dir, "train --resume", out));
    }

    private static RunClaim resume(RunDirectory dir, List<String> overrides, PrintStream out, RunLock lock) {
        try {
            dir.recoverInterruptedReplaces(out);
            if (!dir.exists(RunRecord.FILE)) {
                throw new RunDirectoryError(dir.exists(CONFIG_FILE)
                        ? dir.uri() + " was written by an older ml3-spark (no " + RunRecord.FILE + "), which cannot be "
                                + "resumed safely; start it again with train --config ... --out " + dir.uri() + " --overwrite"
                        : dir.uri() + " holds no ml3 run (no " + RunRecord.FILE + ")");
            }
            String recordFile = dir.uri() + "/" + RunRecord.FILE;
            RunRecord record = RunRecord.decode(dir.read(RunRecord.FILE), recordFile);
            String savedFile = dir.uri() + "/" + CONFIG_FILE;
            String saved = new String(dir.read(CONFIG_FILE), StandardCharsets.UTF_8);
            List<String> edited = RunConfig.differingKeys(record.config(), recordFile, saved, savedFile);
            if (!edited.isEmpty()) {
                throw new ConfigError(savedFile + " was edited after the run started (" + String.join(", ", edited)
                        + " differ from " + recordFile + "); undo the edit, or pass a change a resume allows with --set");
            }
            String recorded = RunConfig.upgraded(record.config(), recordFile);
            RunConfig cfg = RunConfig.parse(recorded, savedFile, overrides);
            List<String> changed = RunConfig.differingKeys(recorded, recordFile, cfg.render(), "--set");
            List<String> refused = changed.stream().filter(k -> !RunConfig.resumable(k)).toList();
            if (!refused.isEmpty()) {
                throw new ConfigError("--resume cannot change " + String.join(", ", refused) + ": they shape the run's "
                        + "trajectory (a resume may change meta-train.iterations, log-every, checkpoint-every, "
                        + "keep-checkpoints, execution, iterations-per-job and <experiment>.meta-test); start a new run"
                        + " instead");
            }
            if (!changed.isEmpty()) {
                out.printf("[train] resume changes %s%n", String.join(", ", changed));
                // The trajectory's hash stays the one the run started with: its checkpoints carry it, and
                // an upgraded old config hashes differently although it describes the same trajectory.
                record = record.withConfig(cfg.render(), record.trajectorySha256());
                dir.write(RunRecord.FILE, record.encode());
                dir.write(CONFIG_FILE, cfg.render());
            }
            return new RunClaim(dir, lock, cfg, record, true);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    /**
     * Claims {@code dir} for {@code cfg}: continues the run there if it was started with this
     * very config (a retried job, an interrupted sweep point), else starts a new run as
     * {@link #fresh} does (refusing another run's directory). A retried job may start while the
     * lock of the attempt before it is still fresh, so this waits up to {@link RunLock#RETRY_PATIENCE}
     * for it.
     */
    public static RunClaim startOrContinue(RunDirectory dir, RunConfig cfg, PrintStream out) {
        RunLock lock = RunLock.acquire(dir, "train --continue", out, RunLock.RETRY_PATIENCE);
        RunRecord same;
        try {
            dir.recoverInterruptedReplaces(out);
            same = dir.exists(RunRecord.FILE)
                    ? RunRecord.decode(dir.read(RunRecord.FILE), dir.uri() + "/" + RunRecord.FILE) : null;
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        if (same != null && RunConfig.sameValues(same.config(), dir.uri() + "/" + RunRecord.FILE, cfg)) {
            out.printf("[train] %s holds %s of this config; continuing it%n", dir.uri(), same.describe());
            return resume(dir, List.of(), out, lock);
        }
        return fresh(dir, cfg, false, out, lock);
    }

    /** Who owns a non-empty directory, in words; fails if it holds something that is not a run. */
    private static String owner(RunDirectory dir, List<String> entries) {
        if (dir.exists(RunRecord.FILE)) {
            try {
                return RunRecord.decode(dir.read(RunRecord.FILE), dir.uri() + "/" + RunRecord.FILE).describe();
            } catch (Safetensors.CorruptFileException e) {
                return "run (its " + RunRecord.FILE + " is unreadable)";
            }
        }
        if (entries.contains(CONFIG_FILE)) {
            return "run written by an older ml3-spark (no " + RunRecord.FILE + ")";
        }
        throw new RunDirectoryError(dir.uri() + " is not empty and holds no ml3 run ("
                + String.join(", ", entries.subList(0, Math.min(LISTED, entries.size())))
                + (entries.size() > LISTED ? ", ..." : "") + "); choose a new or empty directory");
    }

    public RunDirectory directory() {
        return dir;
    }

    public RunConfig config() {
        return config;
    }

    public RunRecord record() {
        return record;
    }

    public boolean resumed() {
        return resumed;
    }

    /** Removes what a new run wrote before it failed to start: the directory, if the run created it, else its files. */
    public void abandon() {
        if (resumed) {
            return;
        }
        if (dir.created()) {
            dir.remove();
        } else {
            removeWhatMl3Wrote(dir, System.out);
        }
    }

    /** Removes the files and folders ml3-spark wrote into {@code dir}, and nothing else, saying what it kept. */
    private static void removeWhatMl3Wrote(RunDirectory dir, PrintStream out) {
        for (String entry : dir.entriesWrittenByMl3()) {
            dir.deleteRecursively(entry);
        }
        dir.forgetWritten();
        List<String> kept = dir.visibleEntries();
        if (!kept.isEmpty()) {
            out.printf("[train] kept %s in %s: ml3-spark did not write %s%n", String.join(", ", kept), dir.uri(),
                    kept.size() == 1 ? "it" : "them");
        }
    }

    @Override
    public void close() {
        lock.close();
    }
}
