package io.ml3spark.driver.run;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.table.TableRecord;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.Safetensors;
import io.ml3spark.ml3.LearnedLoss;
import org.apache.hadoop.conf.Configuration;

import java.util.List;

/**
 * The phi {@code evaluate} meta-tests: a learned-loss file's, or a checkpoint's (a run's phi after
 * {@link #iteration}), with the run directory it belongs to ({@link #home}), whose refits of a
 * learned dynamics model a model-based meta-test uses up to that iteration. A checkpoint carries
 * no description of its network, so it is trusted only inside its own run's {@code checkpoints/}:
 * its run-id must be that run's, and the run's recorded learned loss the config's. {@link #ownRunId}
 * is the run of {@link #home} per its run.json (null where there is none, or where the loss file
 * records another run): only refits of that run are used with this loss.
 */
public record LossUnderTest(String source, double[] phi, RunDirectory home, int iteration, String ownRunId,
                            String tableFingerprint) {
    /** The iteration of a learned-loss file: the end of its run. */
    public static final int FINAL = Integer.MAX_VALUE;
    /** The learned-loss metadata of the table a table experiment's loss was meta-trained on. */
    static final String TABLE_FINGERPRINT = "data.table.fingerprint";

    /** A loss that records no table. */
    public LossUnderTest(String source, double[] phi, RunDirectory home, int iteration, String ownRunId) {
        this(source, phi, home, iteration, ownRunId, null);
    }

    public boolean isCheckpoint() {
        return iteration != FINAL;
    }

    /** Reads {@code path} for {@code experiment} (from {@code configFile}); fails with one line on a file that does not fit. */
    public static LossUnderTest read(String path, Configuration hadoop, Experiment experiment, String configFile) {
        Safetensors.Contents file = Safetensors.decode(RunDirectory.read(path, hadoop), path);
        RunDirectory parent = RunDirectory.open(RunDirectory.parentOf(path), hadoop);
        LearnedLoss expected = experiment.learnedLoss();
        if (!Checkpoints.isCheckpoint(file)) {
            LearnedLossFile.Contents contents = LearnedLossFile.decode(file, path);
            if (!contents.fits(expected)) {
                throw mismatch("learned loss in " + path, contents.loss(), configFile, expected);
            }
            String homeRun = parent.exists(RunRecord.FILE)
                    ? RunRecord.decode(parent.read(RunRecord.FILE), parent.uri() + "/" + RunRecord.FILE).runId() : null;
            boolean moved = contents.runId() != null && !contents.runId().equals(homeRun);
            return new LossUnderTest(path, contents.phi(), parent, FINAL, moved ? null : homeRun,
                    contents.data().get(TABLE_FINGERPRINT));
        }
        RunDirectory home = RunDirectory.open(RunDirectory.parentOf(parent.uri()), hadoop);
        String runId = file.metadata().get("run-id");
        if (!parent.uri().endsWith("/" + Checkpoints.DIR) || !home.exists(RunRecord.FILE)) {
            throw new RunDirectoryError("checkpoint " + path + " is not in the " + Checkpoints.DIR + "/ of a run directory"
                    + " (none holds a " + RunRecord.FILE + "); a checkpoint is evaluated where its run wrote it");
        }
        String recordFile = home.uri() + "/" + RunRecord.FILE;
        RunRecord run = RunRecord.decode(home.read(RunRecord.FILE), recordFile);
        if (!run.runId().equals(runId)) {
            throw new RunDirectoryError("checkpoint " + path + " belongs to run " + runId + ", not to " + run.describe()
                    + " whose directory holds it; a checkpoint is evaluated where its run wrote it");
        }
        if (!run.experiment().equals(experiment.name())) {
            throw new ConfigError("checkpoint " + path + " is of a " + run.experiment() + " run, but config " + configFile
                    + " is " + experiment.name());
        }
        LearnedLoss trained = RunConfig.parse(RunConfig.upgraded(run.config(), recordFile), recordFile, List.of())
                .experiment().learnedLoss();
        if (!trained.sameAs(expected)) {
            throw mismatch("the learned loss of checkpoint " + path, trained, configFile, expected);
        }
        Checkpoints.Decoded checkpoint = Checkpoints.decode(file, path, expected.layout());
        String table = home.exists(TableRecord.FILE)
                ? TableRecord.decode(home.read(TableRecord.FILE), home.uri() + "/" + TableRecord.FILE).fingerprint() : null;
        return new LossUnderTest(path, checkpoint.state().phi(), home, checkpoint.state().iteration(), run.runId(), table);
    }

    private static ConfigError mismatch(String what, LearnedLoss found, String configFile, LearnedLoss expected) {
        return new ConfigError(what + " is " + found.describe() + ", but config " + configFile + " expects "
                + expected.describe());
    }
}
