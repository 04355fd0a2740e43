package io.ml3spark.driver.run;

import io.ml3spark.control.dynamics.DynamicsEnsemble;
import io.ml3spark.control.dynamics.PredictionError;
import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.driver.dynamics.DynamicsFile;
import io.ml3spark.driver.dynamics.EnsembleTraining;
import io.ml3spark.driver.train.ExecutorDevice;
import io.ml3spark.driver.train.ExperimentRefresh;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.format.NonFinite;
import io.ml3spark.format.Safetensors;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.nn.ParameterLayout;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The dynamics model of a model-based run, refitted on Spark ({@link EnsembleTraining}, one
 * task per member) before the first iteration and every {@code refit-every} iterations, each
 * refit saved as a {@link DynamicsFile} in the run directory with its data and a line in
 * {@code dynamics.csv}: how well the previous model predicted the new rollouts before they
 * joined the data (held out), and the refitted model on them. A refit whose members or
 * predictions are not finite stops the run; such a model is never used.
 */
public final class ModelRefits implements ExperimentRefresh {
    public static final String REPORT = "dynamics.csv";
    private static final long REFIT_STREAM = 0xd1a;

    private final JavaSparkContext sc;
    private final RunDirectory dir;
    private final String runId;
    private final long seed;
    private final Backend backend;
    private final int every;
    private final PrintStream out;

    public ModelRefits(JavaSparkContext sc, RunDirectory dir, String runId, long seed, String backend,
                       ModelBasedExperiment experiment, PrintStream out) {
        this.sc = sc;
        this.dir = dir;
        this.runId = runId;
        this.seed = seed;
        this.backend = ExecutorDevice.onDriver(backend);
        this.every = experiment.refitEvery();
        this.out = out;
    }

    @Override
    public int every() {
        return every;
    }

    @Override
    public Experiment refreshed(int iteration, double[] phi, Experiment current) {
        ModelBasedExperiment experiment = (ModelBasedExperiment) current;
        String file = DynamicsFile.name(iteration);
        if (dir.exists(file)) {
            try {
                DynamicsFile f = read(experiment, iteration);
                out.printf("[train] dynamics model after iteration %d: %s, fitted before%n", iteration, file);
                return experiment.withEnsemble(experiment.ensemble(f.members()));
            } catch (RunDirectoryError | Safetensors.CorruptFileException e) {
                out.printf("[train] refitting the dynamics model after iteration %d: %s%n", iteration, e.getMessage());
            }
        }
        return refit(experiment, iteration, phi);
    }

    /** A resumed run after {@code iteration}: the experiment with the model of the last refit before it, from its file. */
    public ModelBasedExperiment resumed(int iteration, ModelBasedExperiment experiment) {
        int refit = iteration / every * every;
        DynamicsFile f = read(experiment, refit);
        out.printf("[train] dynamics model of the refit after iteration %d: %s%n", refit, DynamicsFile.name(refit));
        return experiment.withEnsemble(experiment.ensemble(f.members()));
    }

    private ModelBasedExperiment refit(ModelBasedExperiment experiment, int iteration, double[] phi) {
        long t0 = System.nanoTime();
        ProbabilisticDynamics model = experiment.dynamicsModel();
        List<double[]> inputs = new ArrayList<>();
        List<double[]> targets = new ArrayList<>();
        if (iteration > 0) {
            DynamicsFile previous = read(experiment, iteration - every);
            inputs.addAll(List.of(previous.inputs()));
            targets.addAll(List.of(previous.targets()));
        }
        RealRollouts fresh = experiment.newRollouts(backend, phi, seed, iteration);
        Map<String, String> report = new LinkedHashMap<>();
        report.put("rollouts-added", Integer.toString(fresh.count()));
        DynamicsEnsemble before = experiment.currentEnsemble();
        if (before != null) {
            PredictionError heldOut = PredictionError.of(JvmBackend.INSTANCE, before, fresh.states(), fresh.actions());
            report.put("held-out-one-step-rmse", Double.toString(heldOut.oneStep()));
            report.put("held-out-open-loop-rmse", Double.toString(heldOut.openLoop()));
        }
        inputs.addAll(List.of(fresh.inputs()));
        targets.addAll(List.of(fresh.velocityChanges(model.velocities())));
        double[][] x = inputs.toArray(double[][]::new);
        double[][] y = targets.toArray(double[][]::new);
        List<double[]> members = EnsembleTraining.fit(sc, model, experiment.dynamicsFit(), x, y,
                Seeds.derive(seed, REFIT_STREAM, iteration), experiment.ensembleMembers());
        checkFinite(members, model, x, iteration);
        DynamicsEnsemble fitted = experiment.ensemble(members);
        PredictionError onData = PredictionError.of(JvmBackend.INSTANCE, fitted, fresh.states(), fresh.actions());
        checkFinite(onData, iteration);
        report.put("fitted-one-step-rmse", Double.toString(onData.oneStep()));
        report.put("fitted-open-loop-rmse", Double.toString(onData.openLoop()));
        report.put("horizon", Integer.toString(onData.horizon()));
        double seconds = (System.nanoTime() - t0) / 1e9;
        report.put("fit-seconds", String.format(Locale.ROOT, "%.2f", seconds));
        dir.write(DynamicsFile.name(iteration), new DynamicsFile(iteration, runId, x, y, members, report).encode(model));
        writeReport(experiment, iteration);
        out.printf(Locale.ROOT, "[train] dynamics model refitted after iteration %d: %d members on %d transitions"
                        + " (%d new rollouts) in %.1f s%s; on the new rollouts: one-step RMSE %.3g, %d-step %.3g%n",
                iteration, members.size(), x.length, fresh.count(), seconds,
                before == null ? "" : String.format(Locale.ROOT, "; the previous model on them (held out): one-step"
                        + " RMSE %s, %s-step %s", shortNumber(report.get("held-out-one-step-rmse")), onData.horizon(),
                        shortNumber(report.get("held-out-open-loop-rmse"))),
                onData.oneStep(), onData.horizon(), onData.openLoop());
        return experiment.withEnsemble(fitted);
    }

    private static String shortNumber(String v) {
        return String.format(Locale.ROOT, "%.3g", Double.parseDouble(v));
    }

    private DynamicsFile read(ModelBasedExperiment experiment, int iteration) {
        DynamicsFile f = readVerified(dir, experiment, iteration);
        if (!f.runId().equals(runId)) {
            throw new RunDirectoryError(dir.uri() + "/" + DynamicsFile.name(iteration) + " belongs to run " + f.runId()
                    + ", not to this run (" + runId + ")");
        }
        return f;
    }

    private static DynamicsFile readVerified(RunDirectory dir, ModelBasedExperiment experiment, int iteration) {
        String file = DynamicsFile.name(iteration);
        if (!dir.exists(file)) {
            throw new RunDirectoryError(dir.uri() + " has no " + file + ": the dynamics model refitted after iteration "
                    + iteration + " is missing");
        }
        DynamicsFile f = DynamicsFile.decode(dir.read(file), dir.uri() + "/" + file, experiment.dynamicsModel(),
                experiment.ensembleMembers());
        if (f.iteration() != iteration) {
            throw new Safetensors.CorruptFileException(dir.uri() + "/" + file, "holds the refit after iteration "
                    + f.iteration() + ", not " + iteration);
        }
        return f;
    }

    /** A member or a prediction on the data that is not finite stops the run before the model is used. */
    private static void checkFinite(List<double[]> members, ProbabilisticDynamics model, double[][] x, int iteration) {
        ParameterLayout layout = model.layout();
        for (int m = 0; m < members.size(); m++) {
            int bad = NonFinite.count(members.get(m));
            if (bad == 0) {
                double[] flat = new double[x.length * x[0].length];
                for (int i = 0; i < x.length; i++) {
                    System.arraycopy(x[i], 0, flat, i * x[0].length, x[0].length);
                }
                var params = layout.variables(JvmBackend.INSTANCE, members.get(m));
                var p = model.predict(params, io.ml3spark.autodiff.Tensor.constant(JvmBackend.INSTANCE, flat, x.length,
                        x[0].length));
                bad = NonFinite.count(p[0].toArray()) + NonFinite.count(p[1].toArray());
            }
            if (bad > 0) {
                throw new NonFiniteResultError("the dynamics model refitted after iteration " + iteration + " diverged:"
                        + " member " + m + " has " + bad + " non-finite parameters or predictions; it was not used"
                        + " (try a lower dynamics.fit.learning-rate)");
            }
        }
    }

    private static void checkFinite(PredictionError e, int iteration) {
        if (!Double.isFinite(e.oneStep()) || !Double.isFinite(e.openLoop())) {
            throw new NonFiniteResultError("the dynamics model refitted after iteration " + iteration + " diverged on"
                    + " its own data's rollouts (prediction error " + e + "); it was not used");
        }
    }

    /** {@code dynamics.csv} from the refits up to {@code iteration}, one row each. */
    private void writeReport(ModelBasedExperiment experiment, int iteration) {
        String[] keys = {"rollouts-added", "held-out-one-step-rmse", "held-out-open-loop-rmse", "fitted-one-step-rmse",
                "fitted-open-loop-rmse", "horizon", "fit-seconds"};
        StringBuilder csv = new StringBuilder("iteration,transitions");
        for (String k : keys) {
            csv.append(',').append(k.replace('-', '_'));
        }
        csv.append('\n');
        for (int it = 0; it <= iteration; it += every) {
            DynamicsFile f = read(experiment, it);
            csv.append(it).append(',').append(f.inputs().length);
            for (String k : keys) {
                csv.append(',').append(f.report().getOrDefault(k, ""));
            }
            csv.append('\n');
        }
        dir.write(REPORT, csv.toString());
    }

    /**
     * The experiment the meta-test of a loss trained in {@code home} runs: a model-based one with
     * the newest dynamics model of that run refitted after an iteration up to {@code upToIteration}
     * (the phi's own iteration for a checkpoint); any other as it is.
     */
    public static Experiment forMetaTest(Experiment experiment, LossUnderTest loss, PrintStream out) {
        if (!(experiment instanceof ModelBasedExperiment mb)) {
            return experiment;
        }
        RunDirectory home = loss.home();
        int upToIteration = loss.iteration();
        if (loss.ownRunId() == null) {
            throw new RunDirectoryError("the meta-test of " + experiment.name() + " rolls out through the learned dynamics"
                    + " model of the loss's own training run, but " + loss.source() + " lies in " + home.uri()
                    + ", which is not its run's directory (no " + RunRecord.FILE + ", or one of another run); evaluate"
                    + " the loss where its run wrote it");
        }
        String last = DynamicsFile.name(upToIteration).substring(DynamicsFile.DIR.length() + 1);
        List<String> files = home.list(DynamicsFile.DIR, ".safetensors").stream().filter(f -> f.compareTo(last) <= 0).toList();
        if (files.isEmpty()) {
            throw new RunDirectoryError("the meta-test of " + experiment.name() + " rolls out through the learned dynamics"
                    + " model of the loss's training run, but " + home.uri() + " has no " + DynamicsFile.DIR + "/"
                    + (upToIteration == LossUnderTest.FINAL ? "" : " refit up to iteration " + upToIteration));
        }
        String newest = files.get(files.size() - 1);
        String file = DynamicsFile.DIR + "/" + newest;
        DynamicsFile f = DynamicsFile.decode(home.read(file), home.uri() + "/" + file, mb.dynamicsModel(),
                mb.ensembleMembers());
        if (!f.runId().equals(loss.ownRunId())) {
            throw new RunDirectoryError(home.uri() + "/" + file + " belongs to run " + f.runId() + ", not to the loss's run ("
                    + loss.ownRunId() + "); evaluate the loss where its run wrote it");
        }
        out.printf("[evaluate] dynamics model: %s/%s (refitted after iteration %d)%n", home.uri(), file, f.iteration());
        return mb.withEnsemble(mb.ensemble(f.members()));
    }
}
