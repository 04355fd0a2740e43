package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.EngineTestBackends;
import io.ml3spark.tensor.Shape;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/**
 * One row of a table-driven derivative check: a named scalar function of a few tensors and
 * where each tensor is drawn from. {@link #checkFirstOrder} and {@link #checkSecondOrder}
 * compare autodiff with central finite differences through {@link GradCheck}.
 */
public record DerivativeCase(String name, List<Input> inputs, GradCheck.Fn f) {

    /**
     * Values uniform in [lo, hi], redrawn while closer than {@link #MARGIN} to a point where
     * the function has a kink (relu, abs, clamp bounds), so finite differences stay valid.
     */
    public record Domain(double lo, double hi, double... kinks) {
        static final double MARGIN = 0.05;

        double draw(SplittableRandom rng) {
            while (true) {
                double v = lo + (hi - lo) * rng.nextDouble();
                if (farFromKinks(v)) {
                    return v;
                }
            }
        }

        private boolean farFromKinks(double v) {
            for (double k : kinks) {
                if (Math.abs(v - k) < MARGIN) {
                    return false;
                }
            }
            return true;
        }
    }

    public static final Domain ANY = new Domain(-1.5, 1.5);
    /** For log, sqrt, fractional and negative powers, divisors. */
    public static final Domain POSITIVE = new Domain(0.5, 2.0);
    public static final Domain AWAY_FROM_ZERO = new Domain(-1.5, 1.5, 0.0);

    public record Input(Shape shape, Domain domain) {
    }

    public static Input in(Domain domain, int... dims) {
        return new Input(Shape.of(dims), domain);
    }

    public static DerivativeCase of(String name, GradCheck.Fn f, Input... inputs) {
        return new DerivativeCase(name, List.of(inputs), f);
    }

    public List<Shape> shapes() {
        return inputs.stream().map(Input::shape).toList();
    }

    /** Input values, drawn from a generator seeded by the case's name so each case is reproducible. */
    public List<double[]> values() {
        SplittableRandom rng = new SplittableRandom(name.hashCode());
        List<double[]> values = new ArrayList<>();
        for (Input in : inputs) {
            double[] v = new double[in.shape().size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = in.domain().draw(rng);
            }
            values.add(v);
        }
        return values;
    }

    public void checkFirstOrder(Backend backend) {
        GradCheck.firstOrder(backend, f, values(), shapes());
    }

    public void checkSecondOrder(Backend backend) {
        GradCheck.secondOrder(backend, f, values(), shapes(), name.hashCode() + 1L);
    }

    /**
     * Reduces an op's output y to the scalar {@code sum(w * y) + sum(y * y) / 2} with fixed
     * random weights w: every element counts with its own weight (a transposed or shifted
     * gradient shows), and the square makes the second derivative pass through the op's
     * backward rule even for linear ops.
     */
    public static Tensor readout(Tensor y) {
        SplittableRandom rng = new SplittableRandom(y.shape().size());
        double[] w = GradCheck.uniform(rng, y.shape().size(), -1, 1);
        Tensor weights = Tensor.constant(y.backend().fromArray(y.shape(), w));
        return y.mul(weights).add(y.mul(y).mul(0.5)).sum();
    }

    /** Every case on every backend under test, named for display. */
    public static Stream<Arguments> onEveryBackend(List<DerivativeCase> cases) {
        return EngineTestBackends.all().flatMap(b -> cases.stream().map(c -> Arguments.of(Named.of(b.name(), b), c)));
    }

    @Override
    public String toString() {
        return name;
    }
}
