package io.ml3spark.bench;

import io.ml3spark.ml3.MetaGradients;
import io.ml3spark.experiments.goalreaching.GoalReachingExperiment;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Backend;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * One model-based goal-reaching meta-gradient (ReacherGoal at the reference's settings, docs/method.md): the inner
 * rollout through the dynamics ensemble, the learned loss's gradient step, the updated policy's
 * rollout and the second-order sweep back to phi, on one thread. The ensemble's members are
 * drawn, not fitted: the cost is the same.
 */
public final class ModelBasedMetaGradientBenchmark {
    private ModelBasedMetaGradientBenchmark() {
    }

    /** Prints one row: the experiment's meta-gradient for one goal, ms per call and GFLOP/s. */
    public static void run(PrintStream out, String label, GoalReachingExperiment experiment, Backend backend,
                           String backendName, double seconds) {
        SplittableRandom rng = new SplittableRandom(0);
        List<double[]> members = new ArrayList<>();
        for (int m = 0; m < experiment.ensembleMembers(); m++) {
            members.add(experiment.dynamicsModel().initialParameters(backend, rng));
        }
        GoalReachingExperiment x = experiment.withEnsemble(experiment.ensemble(members));
        double[] phi = x.initialPhi(backend, 0);
        double flops = flopsPerTask(x);
        out.printf("%s meta-gradient (one goal, horizon %d, %d-member ensemble), one thread, %.1f MFLOP per task"
                + " (analytic, matrix products)%n", label, x.horizon(), x.ensembleMembers(), flops / 1e6);
        long[] iteration = {0};
        double[] checksum = {0};
        double perCall = Timing.secondsPerCall(Math.min(3.0, seconds), seconds, () -> checksum[0] += MetaGradients.of(x,
                backend, phi, 0, iteration[0]++, new int[] {0}).gradientSum()[0]);
        out.printf("%-8s %-9s %12s %12s %10s%n", "backend", "precision", "ms/task", "tasks/s", "GFLOP/s");
        out.printf("%-8s %-9s %12.2f %12.1f %10.2f%s%n", backendName, "float64", perCall * 1e3, 1 / perCall,
                flops / perCall / 1e9, Double.isFinite(checksum[0]) ? "" : "  (non-finite meta-gradient)");
    }

    /**
     * Multiply-adds of the matrix products, times two, counted as the sine benchmark counts them:
     * with F_r = T (policy + members x model) for one rollout's forward pass and F_m = T x
     * learned loss for the learned loss on its T steps, the inner rollout, its gradient, the
     * updated rollout and the sweep back through all of them cost 8 F_r, the learned loss's
     * forward, gradient and the sweep back through both 6 F_m.
     */
    public static double flopsPerTask(GoalReachingExperiment x) {
        double rollout = x.horizon() * (macs(x.goalTasks().policy().network())
                + x.ensembleMembers() * (double) macs(x.dynamicsModel().network()));
        double loss = x.horizon() * (double) macs(x.learnedLoss().network());
        return 2 * (8 * rollout + 6 * loss);
    }

    private static long macs(Mlp network) {
        int[] s = network.sizes();
        long m = 0;
        for (int i = 0; i + 1 < s.length; i++) {
            m += (long) s[i] * s[i + 1];
        }
        return m;
    }
}
