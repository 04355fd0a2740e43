package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Compares autodiff gradients with central finite differences in double precision, for
 * first derivatives and, through a random projection of the gradient, second ones.
 */
public final class GradCheck {
    public static final double STEP = 1e-6;
    public static final double TOLERANCE = 1e-6;

    private GradCheck() {
    }

    /** {@code grads} with each null (an input nothing reached, under allowUnused) replaced by zeros shaped like it. */
    public static List<Tensor> orZeros(List<Tensor> grads, List<Tensor> inputs) {
        List<Tensor> out = new java.util.ArrayList<>(grads.size());
        for (int i = 0; i < grads.size(); i++) {
            out.add(grads.get(i) != null ? grads.get(i) : Tensor.zeros(inputs.get(i).backend(), inputs.get(i).shape().dims()));
        }
        return out;
    }

    /** A scalar function of several tensors. */
    public interface Fn extends Function<List<Tensor>, Tensor> {
    }

    /** Checks d f / d inputs against central differences; returns the worst relative error. */
    public static double firstOrder(Backend backend, Fn f, List<double[]> values, List<Shape> shapes) {
        List<Tensor> vars = variables(backend, values, shapes);
        Tensor out = f.apply(vars);
        // A function that is constant in its inputs (the gradient of a linear one) records no graph: its gradient is zero.
        List<Tensor> analytic = orZeros(out.requiresGrad() ? Autograd.grad(List.of(out), null, vars, false, true)
                : java.util.Collections.nCopies(vars.size(), null), vars);
        double worst = 0;
        for (int i = 0; i < values.size(); i++) {
            double[] numeric = numericGradient(backend, x -> f.apply(x).item(), values, shapes, i);
            worst = Math.max(worst, compare("d/dx" + i, analytic.get(i).toArray(), numeric));
        }
        return worst;
    }

    /**
     * Checks the second derivative: with a fixed random direction v, h(x) = sum(v * df/dx)
     * is computed with {@code createGraph}, differentiated by autodiff, and compared with
     * central differences of h (itself evaluated by first-order autodiff).
     */
    public static double secondOrder(Backend backend, Fn f, List<double[]> values, List<Shape> shapes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Tensor> directions = new ArrayList<>();
        for (Shape s : shapes) {
            double[] v = new double[s.size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = rng.nextDouble() * 2 - 1;
            }
            directions.add(Tensor.constant(backend.fromArray(s, v)));
        }
        Fn projected = xs -> {
            List<Tensor> g = Autograd.grad(f.apply(xs), xs, true);
            Tensor h = null;
            for (int i = 0; i < g.size(); i++) {
                Tensor term = g.get(i).mul(directions.get(i)).sum();
                h = h == null ? term : h.add(term);
            }
            return h;
        };
        return firstOrder(backend, projected, values, shapes);
    }

    static List<Tensor> variables(Backend backend, List<double[]> values, List<Shape> shapes) {
        List<Tensor> vars = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            vars.add(Tensor.variable(backend.fromArray(shapes.get(i), values.get(i))));
        }
        return vars;
    }

    static double[] numericGradient(Backend backend, Function<List<Tensor>, Double> f, List<double[]> values,
                                    List<Shape> shapes, int which) {
        double[] x = values.get(which).clone();
        double[] grad = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double orig = x[j];
            double h = STEP * Math.max(1.0, Math.abs(orig));
            grad[j] = (eval(backend, f, values, shapes, which, x, j, orig + h)
                    - eval(backend, f, values, shapes, which, x, j, orig - h)) / (2 * h);
            x[j] = orig;
        }
        return grad;
    }

    private static double eval(Backend backend, Function<List<Tensor>, Double> f, List<double[]> values,
                               List<Shape> shapes, int which, double[] x, int j, double v) {
        x[j] = v;
        List<double[]> perturbed = new ArrayList<>(values);
        perturbed.set(which, x.clone());
        return f.apply(variables(backend, perturbed, shapes));
    }

    /** Relative error max|a - n| / max(1, max|n|); asserts it is below {@link #TOLERANCE}. */
    static double compare(String what, double[] analytic, double[] numeric) {
        double scale = 1.0;
        double diff = 0;
        for (int j = 0; j < numeric.length; j++) {
            scale = Math.max(scale, Math.abs(numeric[j]));
            diff = Math.max(diff, Math.abs(analytic[j] - numeric[j]));
        }
        double rel = diff / scale;
        assertTrue(rel < TOLERANCE, what + ": relative error " + rel + " (max abs diff " + diff + ")");
        return rel;
    }

    /** Uniform values in [lo, hi). */
    public static double[] uniform(SplittableRandom rng, int n, double lo, double hi) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = lo + (hi - lo) * rng.nextDouble();
        }
        return v;
    }
}
