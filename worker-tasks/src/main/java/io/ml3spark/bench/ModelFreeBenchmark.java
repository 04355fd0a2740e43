package io.ml3spark.bench;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.experiments.modelfree.ModelFreeControl;
import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.experiments.modelfree.ModelFreeExperiment;
import io.ml3spark.tensor.Backend;

import java.io.PrintStream;
import java.util.List;

/**
 * The model-free experiment's costs on one thread: batched rollouts of the meta-train policy on
 * the real simulator (environment steps per second, the policy's sampling included), and one
 * model-free meta-gradient (one goal: the inner steps' episodes and learned-loss steps, the fresh
 * episodes, the surrogate and the second-order sweep back to phi).
 */
public final class ModelFreeBenchmark {
    private ModelFreeBenchmark() {
    }

    /** Prints the two rows for {@code label}'s experiment, each measured for {@code seconds}. */
    public static void run(PrintStream out, String label, ModelFreeExperiment x, Backend backend, String backendName,
                           int episodes, double seconds) {
        ModelFreeControl control = x.control();
        double[][] goals = {x.testGoal(0)};
        GaussianPolicy pi = control.policy(x.trainArchitecture()).forGoals(control.goalStates(goals));
        List<Tensor> theta = pi.orthogonal(backend, new long[] {1});
        long[][] episodeSeeds = new long[1][episodes];
        for (int e = 0; e < episodes; e++) {
            episodeSeeds[0][e] = Seeds.derive(7, e);
        }
        double[] checksum = {0};
        double perBatch = Timing.secondsPerCall(Math.min(2.0, seconds), seconds,
                () -> checksum[0] += control.episodes(pi, theta, goals, episodeSeeds).meanReturns()[0]);
        double[] phi = x.initialPhi(backend, 0);
        long[] iteration = {0};
        double perTask = Timing.secondsPerCall(Math.min(2.0, seconds), seconds, () -> checksum[0] += MetaGradients.of(x, backend, phi, 0, iteration[0]++,
                new int[] {0}).gradientSum()[0]);
        out.printf("%s model-free (horizon %d, %s policy), one thread%n", label, control.horizon(), x.trainArchitecture());
        out.printf("%-8s %-44s %14s%n", "backend", "measured", "value");
        out.printf("%-8s %-44s %14.0f%n", backendName, "rollouts: env steps/s (" + episodes + " episodes a batch)",
                (double) episodes * control.horizon() / perBatch);
        out.printf("%-8s %-44s %14.1f%s%n", backendName, "one meta-gradient (one goal): ms", perTask * 1e3,
                Double.isFinite(checksum[0]) ? "" : "  (non-finite)");
    }
}
