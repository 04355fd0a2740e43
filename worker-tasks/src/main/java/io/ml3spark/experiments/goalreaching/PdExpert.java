package io.ml3spark.experiments.goalreaching;

import io.ml3spark.environments.GoalEnvironment;
import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.InverseDynamics;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/**
 * The experts of the demonstrations experiment (paper Fig. 6): a PD controller in
 * position space toward the task's goal, run on the real simulator:
 * {@code u = clip(kp (q_goal - q) - kd dq)}, or with {@code computedTorque}
 * {@code u = clip(M(q) (kp (q_goal - q) - kd dq) + ...)}, the action that gives that acceleration
 * ({@link InverseDynamics}), so that every joint is the same critically damped system whatever its
 * inertia (the reacher's joints differ tenfold).
 */
public record PdExpert(double kp, double kd, boolean computedTorque) implements Serializable {
    public PdExpert {
        if (!(kp > 0 && kd >= 0)) {
            throw new IllegalArgumentException("PD expert: kp must be positive and kd non-negative");
        }
    }

    public PdExpert(double kp, double kd) {
        this(kp, kd, false);
    }

    /** One demonstration per goal (positions, flat {@code [B * P]}) from the tasks' start state. */
    public RealRollouts demonstrate(Backend backend, GoalTasks tasks, double[] goals) {
        GoalEnvironment env = tasks.env();
        int p = env.positions();
        int s = tasks.states();
        int b = goals.length / p;
        Tensor goal = Tensor.constant(backend, goals, b, 1, p);
        try (GradMode.Scope ignored = GradMode.disabled()) {
            Rollout demo = Rollout.driven(env.simulator(), Rollout.startStates(backend, tasks.start(), b), tasks.horizon(),
                    (t, state) -> {
                        Tensor command = goal.sub(state.slice(-1, 0, p)).mul(kp).sub(state.slice(-1, p, s).mul(kd));
                        return computedTorque ? ((InverseDynamics) env.simulator()).actionFor(state, command) : command;
                    });
            return new RealRollouts(GoalTasks.perEpisode(demo.states()), GoalTasks.perEpisode(demo.actions()));
        }
    }
}
