package io.ml3spark.experiments.goalreaching;

import io.ml3spark.autodiff.GradMode;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.dynamics.RealRollouts;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

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
        try (GradMode.Scope ignored = GradMode.disabled()) {
            double[] s0 = new double[b * s];
            for (int t = 0; t < b; t++) {
                System.arraycopy(tasks.start(), 0, s0, t * s, s);
            }
            Tensor state = Tensor.constant(backend, s0, b, 1, s);
            Tensor goal = Tensor.constant(backend, goals, b, 1, p);
            List<Tensor> states = new ArrayList<>(List.of(state));
            List<Tensor> actions = new ArrayList<>();
            for (int t = 0; t < tasks.horizon(); t++) {
                Tensor u = env.simulator().boundAction(goal.sub(state.slice(-1, 0, p)).mul(kp)
                        .sub(state.slice(-1, p, s).mul(kd)));
                state = env.simulator().step(state, u);
                states.add(state);
                actions.add(u);
            }
            return new RealRollouts(GoalTasks.perEpisode(Tensor.concat(states, 1)),
                    GoalTasks.perEpisode(Tensor.concat(actions, 1)));
        }
    }
}
