package io.ml3spark.driver.cli;

import io.ml3spark.environments.GoalEnvironments;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.config.Settings;
import io.ml3spark.control.Rollout;
import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.data.HadoopDataOpener;
import io.ml3spark.driver.rollout.ActionsCsv;
import io.ml3spark.driver.rollout.Trajectory;
import io.ml3spark.driver.run.Plots;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.hadoop.conf.Configuration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.Callable;

/**
 * {@code rollout}: runs a goal environment of a config (pointmass or reacher, with its arm) from a
 * start state under actions from a CSV file, and writes the trajectory as CSV and the effector's
 * path as a PNG, for a user to look at the simulator itself.
 */
@Command(name = "rollout", mixinStandardHelpOptions = true,
        description = "Run a config's goal environment under actions from a CSV file; write trajectory.csv and path.png.")
public final class RolloutCommand implements Callable<Integer> {
    @Mixin
    ConfigOptions config;

    @Option(names = "--actions", required = true, paramLabel = "CSV", description = "Actions, a header naming the"
            + " environment's actions (e.g. tau1,tau2) and a row per step; any Hadoop file system path.")
    String actions;

    @Option(names = "--start", paramLabel = "S1,S2,...", split = ",", description = "Start state (default: the config's"
            + " start), e.g. 0,0,0,0 for the reacher's (q1, q2, dq1, dq2).")
    double[] start;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new or empty directory for"
            + " trajectory.csv and path.png (any Hadoop file system URI).")
    String out;

    @Override
    public Integer call() throws IOException {
        RunConfig cfg = config.load();
        Settings section = cfg.experimentSection();
        if (!section.hasPath("environment")) {
            throw new ConfigError("rollout needs a config with a goal environment (experiments goal-reaching,"
                    + " goal-demonstrations, model-free), got experiment " + cfg.experiment().name());
        }
        GoalEnvironment env = GoalEnvironments.fromSettings(section);
        double[] s0 = start != null ? start : section.getDoubleList("start").stream().mapToDouble(Double::doubleValue).toArray();
        if (s0.length != env.stateNames().size() || !Arrays.stream(s0).allMatch(Double::isFinite)) {
            throw new ConfigError("--start: " + env.stateNames().size() + " finite numbers (" + String.join(", ",
                    env.stateNames()) + "), got " + Arrays.toString(s0));
        }
        double[][] u;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new HadoopDataOpener(new Configuration())
                .open(actions), StandardCharsets.UTF_8))) {
            u = ActionsCsv.read(in, actions, env.actionNames());
        } catch (java.io.FileNotFoundException e) {
            throw new ConfigError("actions file not found: " + actions);
        }
        RunDirectory dir = RunDirectory.open(out, new Configuration());
        if (!dir.created() && !dir.visibleEntries().isEmpty()) {
            throw new RunDirectoryError("--out " + out + " is not empty: rollout writes only into a new or empty directory");
        }
        Rollout r = run(env, s0, u);
        Trajectory trajectory = Trajectory.of(env, r);
        dir.write(Trajectory.CSV, trajectory.csv());
        dir.write(Trajectory.PNG, Plots.figure(trajectory.pathFigure(env.name())));
        double[] end = trajectory.effector()[u.length];
        System.out.printf("[rollout] %s, %d steps: final state %s, effector (%.4f, %.4f); wrote %s/%s and %s%n", env.name(),
                u.length, Arrays.toString(trajectory.finalState()), end[0], end[1], dir.uri(), Trajectory.CSV, Trajectory.PNG);
        return 0;
    }

    private static Rollout run(GoalEnvironment env, double[] s0, double[][] u) {
        try (GradMode.Scope ignored = GradMode.disabled()) {
            JvmBackend b = JvmBackend.INSTANCE;
            return Rollout.driven(env.simulator(), Rollout.startStates(b, s0, 1), u.length,
                    (t, state) -> Tensor.constant(b, u[t], 1, 1, u[t].length));
        }
    }
}
