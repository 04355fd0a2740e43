package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Rollout;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/**
 * The experts of the demonstrations experiment (ML3-PAPER-EXTRAS, Fig. 6): a PD controller in
 * position space toward the goal that inverse kinematics gives,
 * {@code u = clip(kp (q_goal - q) - kd dq)}, run on the real simulator.
 */
public record PdExpert(double kp, double kd) implements Serializable {
    public PdExpert {
        if (!(kp > 0 && kd >= 0)) {
            throw new IllegalArgumentException("PD expert: kp must be positive and kd non-negative");
        }
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
                    (t, state) -> goal.sub(state.slice(-1, 0, p)).mul(kp).sub(state.slice(-1, p, s).mul(kd)));
            return new RealRollouts(GoalTasks.perEpisode(demo.states()), GoalTasks.perEpisode(demo.actions()));
        }
    }
}
