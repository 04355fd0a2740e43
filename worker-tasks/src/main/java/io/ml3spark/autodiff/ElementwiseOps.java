package io.ml3spark.autodiff;

import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;
import io.ml3spark.tensor.UnaryKernel;

/**
 * Elementwise ops and their derivative rules, in the manner of PyTorch's
 * derivatives.yaml: every rule is an expression in differentiable ops. Gradients of
 * broadcast operands are summed back to the operand's shape.
 */
final class ElementwiseOps {
    private ElementwiseOps() {
    }

    // ---- binary -----------------------------------------------------------------------

    private static TensorData binary(String op, BinaryKernel kernel, Tensor a, Tensor b) {
        checkSameBackend(op, a, b);
        Shape.broadcast(op, a.shape(), b.shape());
        return a.backend().binary(kernel, a.data(), b.data());
    }

    static void checkSameBackend(String op, Tensor a, Tensor b) {
        if (a.backend() != b.backend()) {
            throw new IllegalArgumentException(op + ": operands live on different backends ("
                    + a.backend().name() + " and " + b.backend().name() + ")");
        }
    }

    static Tensor add(Tensor a, Tensor b) {
        return Tensor.result("add", binary("add", BinaryKernel.ADD, a, b), (out, g, needs) -> new Tensor[] {
            needs[0] ? g.sumTo(a.shape()) : null,
            needs[1] ? g.sumTo(b.shape()) : null}, a, b);
    }

    static Tensor sub(Tensor a, Tensor b) {
        return Tensor.result("sub", binary("sub", BinaryKernel.SUB, a, b), (out, g, needs) -> new Tensor[] {
            needs[0] ? g.sumTo(a.shape()) : null,
            needs[1] ? g.sumTo(b.shape()).neg() : null}, a, b);
    }

    static Tensor mul(Tensor a, Tensor b) {
        return Tensor.result("mul", binary("mul", BinaryKernel.MUL, a, b), (out, g, needs) -> new Tensor[] {
            needs[0] ? g.mul(b).sumTo(a.shape()) : null,
            needs[1] ? g.mul(a).sumTo(b.shape()) : null}, a, b);
    }

    static Tensor div(Tensor a, Tensor b) {
        return Tensor.result("div", binary("div", BinaryKernel.DIV, a, b), (out, g, needs) -> new Tensor[] {
            needs[0] ? g.div(b).sumTo(a.shape()) : null,
            needs[1] ? g.mul(out).div(b).neg().sumTo(b.shape()) : null}, a, b);
    }

    /** Constant 0/1 mask; comparisons have no gradient. */
    static Tensor gt(Tensor a, Tensor b) {
        return Tensor.constant(binary("gt", BinaryKernel.GT, a, b));
    }

    static Tensor where(Tensor mask, Tensor a, Tensor b) {
        checkSameBackend("where", a, b);
        checkSameBackend("where", mask, a);
        Shape shape = Shape.broadcast("where", Shape.broadcast("where", mask.shape(), a.shape()), b.shape());
        TensorData value = a.backend().where(mask.data(), a.data(), b.data(), shape);
        Tensor m = mask.detach();
        return Tensor.result("where", value, (out, g, needs) -> {
            Tensor zero = g.scalarLike(0.0);
            return new Tensor[] {
                needs[0] ? Tensor.where(m, g, zero).sumTo(a.shape()) : null,
                needs[1] ? Tensor.where(m, zero, g).sumTo(b.shape()) : null};
        }, a, b);
    }

    // ---- unary ------------------------------------------------------------------------

    private static Tensor unary(String op, UnaryKernel kernel, double p, Tensor a, UnaryRule rule) {
        TensorData value = a.backend().unary(kernel, a.data(), p);
        return Tensor.result(op, value, (out, g, needs) -> new Tensor[] {rule.grad(a, out, g)}, a);
    }

    /** The gradient with respect to the single input {@code x}, given output {@code y} and its gradient {@code g}. */
    @FunctionalInterface
    private interface UnaryRule {
        Tensor grad(Tensor x, Tensor y, Tensor g);
    }

    /** A kernel applied as a constant (masks and signs used inside backward rules). */
    private static Tensor constantOf(UnaryKernel kernel, double p, Tensor a) {
        return Tensor.constant(a.backend().unary(kernel, a.data(), p));
    }

    static Tensor neg(Tensor a) {
        return unary("neg", UnaryKernel.NEG, 0, a, (x, y, g) -> g.neg());
    }

    static Tensor exp(Tensor a) {
        return unary("exp", UnaryKernel.EXP, 0, a, (x, y, g) -> g.mul(y));
    }

    static Tensor log(Tensor a) {
        return unary("log", UnaryKernel.LOG, 0, a, (x, y, g) -> g.div(x));
    }

    static Tensor sqrt(Tensor a) {
        return unary("sqrt", UnaryKernel.SQRT, 0, a, (x, y, g) -> g.div(y.mul(2.0)));
    }

    static Tensor pow(Tensor a, double p) {
        if (p == 1.0) {
            return a;
        }
        if (p == 0.0) {
            return Tensor.constant(a.backend().full(a.shape(), 1.0));
        }
        return unary("pow", UnaryKernel.POW, p, a, (x, y, g) -> p == 2.0 ? g.mul(x).mul(2.0) : g.mul(x.pow(p - 1)).mul(p));
    }

    static Tensor abs(Tensor a) {
        return unary("abs", UnaryKernel.ABS, 0, a, (x, y, g) -> g.mul(constantOf(UnaryKernel.SIGN, 0, x)));
    }

    static Tensor sin(Tensor a) {
        return unary("sin", UnaryKernel.SIN, 0, a, (x, y, g) -> g.mul(x.cos()));
    }

    static Tensor cos(Tensor a) {
        return unary("cos", UnaryKernel.COS, 0, a, (x, y, g) -> g.mul(x.sin()).neg());
    }

    static Tensor tanh(Tensor a) {
        return unary("tanh", UnaryKernel.TANH, 0, a, (x, y, g) -> g.mul(y.square().neg().add(1.0)));
    }

    static Tensor sigmoid(Tensor a) {
        return unary("sigmoid", UnaryKernel.SIGMOID, 0, a, (x, y, g) -> g.mul(y.mul(y.neg().add(1.0))));
    }

    /** The derivative at 0 is taken as 0, as in PyTorch; the second derivative is 0. */
    static Tensor relu(Tensor a) {
        return unary("relu", UnaryKernel.RELU, 0, a, (x, y, g) -> wherePositive(g, x.detach()));
    }

    /**
     * {@code g} where {@code x > 0}, else 0, in one pass: the ReLU adjoint. It is linear in
     * {@code g} with a constant mask, so its own adjoint is the same op.
     */
    private static Tensor wherePositive(Tensor g, Tensor x) {
        return Tensor.result("wherePositive", binary("wherePositive", BinaryKernel.WHERE_POSITIVE, g, x),
                (out, gg, needs) -> new Tensor[] {wherePositive(gg, x).sumTo(g.shape()), null}, g, x);
    }

    /** d/dx = 1 for x &gt; 0, else y + alpha (= alpha e^x), which stays differentiable through y. */
    static Tensor elu(Tensor a, double alpha) {
        return unary("elu", UnaryKernel.ELU, alpha, a, (x, y, g) -> {
            Tensor positive = constantOf(UnaryKernel.STEP, 0, x);
            return g.mul(Tensor.where(positive, g.scalarLike(1.0), y.add(alpha)));
        });
    }

    static Tensor softplus(Tensor a) {
        return unary("softplus", UnaryKernel.SOFTPLUS, 0, a, (x, y, g) -> g.mul(x.sigmoid()));
    }

    static Tensor clamp(Tensor a, double lo, double hi, boolean straightThrough) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: lo " + lo + " > hi " + hi);
        }
        TensorData clamped = a.backend().binary(BinaryKernel.MIN,
                a.backend().binary(BinaryKernel.MAX, a.data(), a.scalarLike(lo).data()), a.scalarLike(hi).data());
        return Tensor.result(straightThrough ? "clampStraightThrough" : "clamp", clamped, (out, g, needs) -> {
            if (straightThrough) {
                return new Tensor[] {g};
            }
            Tensor inside = constantOf(UnaryKernel.GE_SCALAR, lo, a).mul(constantOf(UnaryKernel.LE_SCALAR, hi, a));
            return new Tensor[] {g.mul(inside)};
        }, a);
    }
}
