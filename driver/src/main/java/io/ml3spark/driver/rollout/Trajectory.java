package io.ml3spark.driver.rollout;

import io.ml3spark.control.Rollout;
import io.ml3spark.experiments.Figure;
import io.ml3spark.environments.GoalEnvironment;

import java.util.Arrays;
import java.util.List;

/**
 * A one-episode rollout of a goal environment as a user reads it: per step the state, the action
 * applied in the step that led to it (after the environment's limits; none in row 0) and the
 * effector's point in the plane (the reacher's fingertip, the point mass's position).
 */
public record Trajectory(List<String> stateNames, List<String> actionNames, double[][] states, double[][] actions,
                         double[][] effector) {
    public static final String CSV = "trajectory.csv";
    public static final String PNG = "path.png";

    /** The trajectory of a one-task rollout {@code r} of {@code env}. */
    public static Trajectory of(GoalEnvironment env, Rollout r) {
        int s = env.stateNames().size();
        int a = env.actionNames().size();
        double[] flatStates = r.states().toArray();
        double[] flatActions = r.actions().toArray();
        int steps = flatActions.length / a;
        double[][] states = new double[steps + 1][];
        double[][] effector = new double[steps + 1][];
        for (int t = 0; t <= steps; t++) {
            states[t] = Arrays.copyOfRange(flatStates, t * s, (t + 1) * s);
            effector[t] = env.effector(Arrays.copyOfRange(states[t], 0, env.positions()));
        }
        double[][] actions = new double[steps][];
        for (int t = 0; t < steps; t++) {
            actions[t] = Arrays.copyOfRange(flatActions, t * a, (t + 1) * a);
        }
        return new Trajectory(env.stateNames(), env.actionNames(), states, actions, effector);
    }

    public double[] finalState() {
        return states[states.length - 1].clone();
    }

    /** {@code step, <state>, <action>, effector_x, effector_y}, a row per state (row 0 the start, without an action). */
    public String csv() {
        StringBuilder csv = new StringBuilder("step,").append(String.join(",", stateNames)).append(',')
                .append(String.join(",", actionNames)).append(",effector_x,effector_y\n");
        for (int t = 0; t < states.length; t++) {
            csv.append(t);
            for (double v : states[t]) {
                csv.append(',').append(v);
            }
            for (int i = 0; i < actionNames.size(); i++) {
                csv.append(',');
                if (t > 0) {
                    csv.append(actions[t - 1][i]);
                }
            }
            csv.append(',').append(effector[t][0]).append(',').append(effector[t][1]).append('\n');
        }
        return csv.toString();
    }

    /** The effector's path in the plane, its start and its end. */
    public Figure pathFigure(String environment) {
        double[] x = Arrays.stream(effector).mapToDouble(p -> p[0]).toArray();
        double[] y = Arrays.stream(effector).mapToDouble(p -> p[1]).toArray();
        int last = x.length - 1;
        return new Figure("path", environment + ": effector path over " + last + " steps", "x", "y", List.of(
                new Figure.Series("path", x, y),
                Figure.Series.points("start", new double[] {x[0]}, new double[] {y[0]}),
                Figure.Series.points("end", new double[] {x[last]}, new double[] {y[last]})));
    }
}
