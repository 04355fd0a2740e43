package io.ml3spark.optim;

import java.io.Serializable;

/**
 * Adam (Kingma and Ba) on a flat parameter vector, with bias correction: the outer
 * optimiser of phi (its state, moments and step count, is part of a checkpoint), and the
 * optimiser of models an executor fits itself (a learned dynamics model).
 */
public final class Adam implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double[] m;
    private final double[] v;
    private long step;

    public Adam(int size, double learningRate, double beta1, double beta2, double epsilon) {
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.m = new double[size];
        this.v = new double[size];
    }

    /** Returns the updated parameters; {@code params} is not modified. */
    public double[] step(double[] params, double[] gradient) {
        if (gradient.length != m.length || params.length != m.length) {
            throw new IllegalArgumentException("Adam holds " + m.length + " parameters, got params "
                    + params.length + " and gradient " + gradient.length);
        }
        step++;
        double c1 = 1 - Math.pow(beta1, step);
        double c2 = 1 - Math.pow(beta2, step);
        double[] next = params.clone();
        for (int i = 0; i < next.length; i++) {
            m[i] = beta1 * m[i] + (1 - beta1) * gradient[i];
            v[i] = beta2 * v[i] + (1 - beta2) * gradient[i] * gradient[i];
            next[i] -= learningRate * (m[i] / c1) / (Math.sqrt(v[i] / c2) + epsilon);
        }
        return next;
    }

    public long steps() {
        return step;
    }

    /** The moments and step count, for a checkpoint. */
    public State state() {
        return new State(m.clone(), v.clone(), step);
    }

    /** Continues from a checkpointed state. */
    public void restore(State state) {
        if (state.m().length != m.length || state.v().length != v.length) {
            throw new IllegalArgumentException("Adam state for " + state.m().length + " parameters, this Adam holds "
                    + m.length);
        }
        System.arraycopy(state.m(), 0, m, 0, m.length);
        System.arraycopy(state.v(), 0, v, 0, v.length);
        step = state.step();
    }

    /** Adam's state: first and second moment estimates and the number of steps taken. */
    public record State(double[] m, double[] v, long step) implements Serializable {
    }
}
