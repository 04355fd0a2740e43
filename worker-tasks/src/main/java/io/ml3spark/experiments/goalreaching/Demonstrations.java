package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.ml3.TrainingObjective;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * What meta-training and meta-test from demonstrations share: the goal tasks, the expert that
 * demonstrates the listed training targets, the learned loss's input scale, and the
 * behavioural-cloning error.
 */
final class Demonstrations implements Serializable {
    private static final long serialVersionUID = 1L;

    private final GoalTasks goalTasks;
    private final double[] lossScale;
    private final PdExpert expert;
    private final Targets train;

    Demonstrations(GoalTasks goalTasks, double[] lossScale, PdExpert expert, Targets train) {
        this.goalTasks = goalTasks;
        this.lossScale = lossScale.clone();
        this.expert = expert;
        this.train = train;
    }

    GoalTasks goalTasks() {
        return goalTasks;
    }

    GoalEnvironment env() {
        return goalTasks.env();
    }

    Targets targets() {
        return train;
    }

    /** The goals of the listed training targets {@code taskIndices}, flat. */
    double[] goalsOf(int[] taskIndices) {
        List<double[]> targets = new ArrayList<>();
        for (int t : taskIndices) {
            targets.add(train.listed().get(t));
        }
        return train.goalsOf(env(), targets);
    }

    /** The expert's demonstrations of reaching the given goals. */
    RealRollouts demonstrate(Backend backend, double[] goals) {
        return expert.demonstrate(backend, goalTasks, goals);
    }

    /** Each task's mean squared action error against its demonstration, {@code [B]}. */
    static Tensor cloningError(Tensor predicted, Tensor demonstrated) {
        Tensor error = predicted.sub(demonstrated);
        return error.mul(error).mean(false, 1, 2);
    }

    /** Goals (positions) repeated over the horizon's steps, {@code [B, T, P]}. */
    Tensor goalTensor(Backend backend, double[] goals) {
        int p = env().positions();
        int b = goals.length / p;
        return Tensor.constant(backend, goals, b, 1, p).broadcastTo(Shape.of(b, goalTasks.horizon(), p));
    }

    /** M_phi on each step's scaled (state, action, goal), averaged over steps, summed over tasks. */
    Tensor learnedLossOf(TrainingObjective loss, Rollout r, Tensor goal) {
        return goalTasks.learnedLoss(loss, r, lossScale, goal);
    }

    /** A demonstration's per-episode values as one tensor {@code [B, N, C]}. */
    static Tensor tensor(Backend backend, double[][][] v) {
        int b = v.length;
        int n = v[0].length;
        int c = v[0][0].length;
        double[] flat = new double[b * n * c];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < n; j++) {
                System.arraycopy(v[i][j], 0, flat, (i * n + j) * c, c);
            }
        }
        return Tensor.constant(backend, flat, b, n, c);
    }

    /** The demonstrations' states s_0 .. s_{T-1}, the ones their actions were taken in. */
    Tensor statesBeforeActions(Backend backend, RealRollouts demos) {
        return tensor(backend, demos.states()).slice(1, 0, goalTasks.horizon());
    }
}
