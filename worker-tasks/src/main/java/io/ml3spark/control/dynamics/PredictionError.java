package io.ml3spark.control.dynamics;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.control.Environment;
import io.ml3spark.tensor.Backend;

/**
 * How far a model's predictions drift from real rollouts: root-mean-square state error after
 * one step from each real state, and after the whole horizon open loop (the model fed its own
 * predictions and the real actions).
 */
public record PredictionError(double oneStep, double openLoop, int horizon) {

    /**
     * {@code states} {@code [R][T + 1][S]} and {@code actions} {@code [R][T][A]} of R real rollouts
     * of horizon T.
     */
    public static PredictionError of(Backend backend, Environment model, double[][][] states, double[][][] actions) {
        int horizon = actions[0].length;
        double oneStep = 0;
        double openLoop = 0;
        int oneStepCount = 0;
        int openLoopCount = 0;
        for (int r = 0; r < states.length; r++) {
            int s = states[r][0].length;
            Tensor predicted = Tensor.constant(backend, states[r][0], 1, 1, s);
            for (int t = 0; t < horizon; t++) {
                Tensor action = Tensor.constant(backend, actions[r][t], 1, 1, actions[r][t].length);
                double[] next = model.step(Tensor.constant(backend, states[r][t], 1, 1, s), action).toArray();
                predicted = model.step(predicted, action);
                for (int i = 0; i < s; i++) {
                    oneStep += Math.pow(next[i] - states[r][t + 1][i], 2);
                    oneStepCount++;
                }
            }
            double[] end = predicted.toArray();
            for (int i = 0; i < s; i++) {
                openLoop += Math.pow(end[i] - states[r][horizon][i], 2);
                openLoopCount++;
            }
        }
        return new PredictionError(Math.sqrt(oneStep / oneStepCount), Math.sqrt(openLoop / openLoopCount), horizon);
    }
}
