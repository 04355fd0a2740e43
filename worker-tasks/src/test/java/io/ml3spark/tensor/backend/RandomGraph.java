package io.ml3spark.tensor.backend;

import io.ml3spark.autodiff.Functional;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * A random scalar function of a few variables, composed of autodiff ops from a seed. Every
 * random choice depends only on the seed and on shapes, so one seed builds the same
 * function, with the same variable values, on every backend. Ops that could overflow are
 * applied to squashed operands (exp of tanh, division by 1 + u^2, matmuls scaled by 1/k).
 */
final class RandomGraph {
    private final Backend backend;
    private final SplittableRandom rng;
    private final List<Tensor> inputs = new ArrayList<>();
    private final List<Tensor> pool = new ArrayList<>();
    private final List<String> ops = new ArrayList<>();
    private final Tensor scalar;
    private final Tensor output;
    private String lastOp;

    RandomGraph(Backend backend, long seed, int steps) {
        this.backend = backend;
        this.rng = new SplittableRandom(seed);
        int batch = 1 + rng.nextInt(3);
        int d = 1 + rng.nextInt(4);
        pool.add(variable(batch, 1 + rng.nextInt(4), d));
        pool.add(variable(d, 1 + rng.nextInt(4)));
        pool.add(variable(1 + rng.nextInt(4)));
        scalar = variable();
        pool.add(scalar);
        int first = pool.size();
        for (int i = 0; i < steps; i++) {
            Tensor t = pool.get(pool.size() - 1 - rng.nextInt(Math.min(4, pool.size())));
            Tensor r = step(t);
            ops.add(t.shape() + " -> " + lastOp + " -> " + r.shape());
            pool.add(r);
        }
        Tensor loss = pool.get(pool.size() - 1).square().mean();
        for (Tensor t : pool.subList(first, pool.size())) {
            loss = loss.add(t.tanh().mean());
        }
        output = loss;
    }

    List<Tensor> inputs() {
        return inputs;
    }

    Tensor output() {
        return output;
    }

    /** The ops applied, in order, for failure messages. */
    String describe() {
        return String.join("\n", ops);
    }

    private Tensor variable(int... dims) {
        Tensor v = Tensor.variable(backend, rng.doubles(Shape.of(dims).size(), -1, 1).toArray(), dims);
        inputs.add(v);
        return v;
    }

    private <T> T choose(List<T> options) {
        return options.get(rng.nextInt(options.size()));
    }

    private Tensor step(Tensor t) {
        return switch (rng.nextInt(12)) {
            case 0, 1 -> unary(t);
            case 2, 3 -> binary(t);
            case 4, 5 -> matmul(t);
            case 6 -> sum(t);
            case 7 -> concat(t);
            case 8 -> slice(t);
            case 9 -> reshapeOrTranspose(t);
            case 10 -> select(t);
            default -> softmax(t);
        };
    }

    private Tensor op(String name, Tensor result) {
        lastOp = name;
        return result;
    }

    private Tensor unary(Tensor t) {
        return switch (rng.nextInt(16)) {
            case 0 -> op("tanh", t.tanh());
            case 1 -> op("sigmoid", t.sigmoid());
            case 2 -> op("softplus", t.softplus());
            case 3 -> op("elu", t.elu());
            case 4 -> op("elu(0.4)", t.elu(0.4));
            case 5 -> op("sin", t.sin());
            case 6 -> op("cos", t.cos());
            case 7 -> op("relu", t.relu());
            case 8 -> op("abs", t.abs());
            case 9 -> op("clamp", t.clamp(-0.5, 0.7));
            case 10 -> op("exp(tanh)", t.tanh().exp());
            case 11 -> op("tanh^3", t.tanh().pow(3));
            case 12 -> op("log(1 + x^2)", t.square().add(1).log());
            case 13 -> op("sqrt(0.5 + x^2)", t.square().add(0.5).sqrt());
            case 14 -> op("neg", t.neg());
            default -> op("clampStraightThrough", t.clampStraightThrough(-0.6, 0.6));
        };
    }

    private static boolean broadcastable(Shape a, Shape b) {
        try {
            Shape.broadcast("test", a, b);
            return true;
        } catch (ShapeException e) {
            return false;
        }
    }

    /** A pool tensor that broadcasts with {@code t}, or a new variable shaped to. */
    private Tensor partnerFor(Tensor t) {
        List<Tensor> fits = pool.stream().filter(u -> u != t && broadcastable(u.shape(), t.shape())).toList();
        if (!fits.isEmpty() && rng.nextBoolean()) {
            return choose(fits);
        }
        int[] dims = t.shape().dims();
        int drop = dims.length == 0 ? 0 : rng.nextInt(dims.length + 1);
        int[] kept = Arrays.copyOfRange(dims, drop, dims.length);
        for (int i = 0; i < kept.length; i++) {
            if (rng.nextInt(3) == 0) {
                kept[i] = 1;
            }
        }
        if (kept.length > 0 && dims[drop] == 1 && rng.nextBoolean()) {
            kept[0] = 2 + rng.nextInt(2);
        }
        return variable(kept);
    }

    private Tensor binary(Tensor t) {
        Tensor u = partnerFor(t);
        if (!broadcastable(t.shape(), u.shape())) {
            u = u.sum();
        }
        boolean swap = rng.nextBoolean();
        Tensor a = swap ? u : t;
        Tensor b = swap ? t : u;
        return switch (rng.nextInt(5)) {
            case 0 -> op("add " + u.shape(), a.add(b));
            case 1 -> op("sub " + u.shape(), a.sub(b));
            case 2 -> op("mul " + u.shape(), a.mul(b));
            case 3 -> op("div by 1 + " + u.shape() + "^2", a.div(b.square().add(1)));
            default -> op("scalar ops", a.mul(0.7).sub(0.2).div(1.3).add(0.1));
        };
    }

    private Tensor matmul(Tensor t) {
        if (t.shape().rank() < 2) {
            t = rng.nextBoolean() ? t.reshape(1, -1) : t.reshape(-1, 1);
        }
        boolean tThis = rng.nextBoolean();
        boolean tOther = rng.nextBoolean();
        boolean onLeft = rng.nextBoolean();
        Shape s = t.shape();
        // the dimension t shares with its partner
        int k = onLeft == tThis ? s.dim(-2) : s.dim(-1);
        int free = 1 + rng.nextInt(4);
        int[] batch = switch (rng.nextInt(4)) {
            case 0 -> new int[0];
            case 1 -> s.sub(0, s.rank() - 2).dims();
            case 2 -> Arrays.stream(s.sub(0, s.rank() - 2).dims()).map(d -> rng.nextBoolean() ? 1 : d).toArray();
            default -> s.rank() == 2 ? new int[] {1 + rng.nextInt(3)} : new int[0];
        };
        int[] dims = Arrays.copyOf(batch, batch.length + 2);
        // op(partner) is k x free on the right, free x k on the left
        boolean kFirst = onLeft != tOther;
        dims[batch.length] = kFirst ? k : free;
        dims[batch.length + 1] = kFirst ? free : k;
        Tensor other = variable(dims);
        Tensor product = onLeft ? t.matmul(tThis, other, tOther) : other.matmul(tOther, t, tThis);
        return op("matmul " + (onLeft ? "x" : "") + (tThis ? "^T" : "") + " with " + other.shape()
                + (tOther ? "^T" : ""), product.div(k));
    }

    private Tensor sum(Tensor t) {
        int rank = t.shape().rank();
        if (rank == 0) {
            return op("mul by scalar", t.mul(scalar));
        }
        int[] axes = IntStream.range(0, rank).filter(i -> rng.nextBoolean()).toArray();
        if (axes.length == 0) {
            axes = new int[] {rng.nextInt(rank) - rank};
        }
        boolean keepDims = rng.nextBoolean();
        return rng.nextBoolean()
                ? op("sum " + Arrays.toString(axes) + (keepDims ? " keep" : ""), t.sum(keepDims, axes))
                : op("mean " + Arrays.toString(axes) + (keepDims ? " keep" : ""), t.mean(keepDims, axes));
    }

    private Tensor concat(Tensor t) {
        if (t.shape().rank() == 0) {
            return op("stack", Tensor.stack(List.of(t, t.tanh(), t.mul(t)), 0));
        }
        int axis = rng.nextInt(t.shape().rank());
        List<Tensor> parts = new ArrayList<>(List.of(t, t.sin()));
        if (rng.nextBoolean()) {
            parts.add(rng.nextInt(parts.size() + 1), variable(t.shape().withDim(axis, 1 + rng.nextInt(2)).dims()));
        }
        return op("concat axis " + axis + " of " + parts.size(), Tensor.concat(parts, axis));
    }

    private Tensor slice(Tensor t) {
        int[] dims = t.shape().dims();
        List<Integer> axes = new ArrayList<>();
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] >= 2) {
                axes.add(i);
            }
        }
        if (axes.isEmpty()) {
            return unary(t);
        }
        int axis = choose(axes);
        int start = rng.nextInt(dims[axis] - 1);
        int end = start + 1 + rng.nextInt(dims[axis] - start);
        return op("slice axis " + axis + " [" + start + ", " + end + ")", t.slice(axis, start, end));
    }

    private Tensor reshapeOrTranspose(Tensor t) {
        Shape s = t.shape();
        return switch (rng.nextInt(4)) {
            case 0 -> op("flatten", t.reshape(-1));
            case 1 -> s.rank() >= 2 ? op("transpose", t.transpose()) : op("as column", t.reshape(-1, 1));
            case 2 -> {
                int[] d = new int[s.rank() + 1];
                d[0] = 1;
                System.arraycopy(s.dims(), 0, d, 1, s.rank());
                yield op("broadcastTo", t.broadcastTo(Shape.of(d).withDim(0, 2)));
            }
            default -> s.rank() >= 2
                    ? op("merge last two", t.reshape(mergeLast(s)))
                    : op("as row", t.reshape(1, -1));
        };
    }

    private static int[] mergeLast(Shape s) {
        int[] d = Arrays.copyOf(s.dims(), s.rank() - 1);
        d[d.length - 1] = s.dim(-2) * s.dim(-1);
        return d;
    }

    private Tensor select(Tensor t) {
        Tensor u = partnerFor(t);
        if (!broadcastable(t.shape(), u.shape())) {
            u = u.sum();
        }
        Tensor mask = rng.nextBoolean() ? t.gt(u) : t.gt(0.1);
        return op("where " + u.shape(), Tensor.where(mask, t.tanh(), u.mul(t)));
    }

    private Tensor softmax(Tensor t) {
        if (t.shape().rank() == 0) {
            return unary(t);
        }
        int axis = rng.nextInt(t.shape().rank());
        return switch (rng.nextInt(3)) {
            case 0 -> op("logSumExp " + axis, Functional.logSumExp(t, axis, rng.nextBoolean()));
            case 1 -> op("softmax " + axis, Functional.softmax(t, axis));
            default -> op("logSoftmax " + axis, Functional.logSoftmax(t, axis));
        };
    }
}
