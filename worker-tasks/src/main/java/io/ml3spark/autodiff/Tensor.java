package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.TensorData;

import java.util.List;

/**
 * A differentiable tensor: an immutable value ({@link TensorData}) plus, when it was
 * computed from tensors that require gradients, the {@link Node} that computed it.
 * Nothing here mutates; an SGD step returns new tensors that stay in the graph, so a
 * loss after the step can be differentiated with respect to what shaped the step.
 *
 * <p>The methods below are the op set; each one's backward rule sits beside its forward
 * in {@link ElementwiseOps}, {@link ShapeOps} or {@link MatMul}; composites are in
 * {@link Functional}.
 */
public final class Tensor {
    private final TensorData data;
    private final Node node;
    private final boolean requiresGrad;

    private Tensor(TensorData data, Node node, boolean requiresGrad) {
        this.data = data;
        this.node = node;
        this.requiresGrad = requiresGrad;
    }

    /** A value that is never differentiated. */
    public static Tensor constant(TensorData data) {
        return new Tensor(data, null, false);
    }

    /** A leaf that gradients can be taken with respect to (a parameter, an input). */
    public static Tensor variable(TensorData data) {
        return new Tensor(data, null, true);
    }

    public static Tensor constant(Backend backend, double[] values, int... shape) {
        return constant(backend.fromArray(Shape.of(shape), values));
    }

    public static Tensor variable(Backend backend, double[] values, int... shape) {
        return variable(backend.fromArray(Shape.of(shape), values));
    }

    public static Tensor scalar(Backend backend, double value) {
        return constant(backend.full(Shape.SCALAR, value));
    }

    public static Tensor zeros(Backend backend, int... shape) {
        return constant(backend.full(Shape.of(shape), 0.0));
    }

    public static Tensor full(Backend backend, double value, int... shape) {
        return constant(backend.full(Shape.of(shape), value));
    }

    /**
     * The result of an op: it joins the graph if recording is on and some input requires a
     * gradient, and is a constant otherwise.
     */
    static Tensor result(String op, TensorData value, BackwardRule rule, Tensor... inputs) {
        if (GradMode.isEnabled()) {
            for (Tensor in : inputs) {
                if (in.requiresGrad) {
                    return new Tensor(value, new Node(op, inputs, rule), true);
                }
            }
        }
        return new Tensor(value, null, false);
    }

    public TensorData data() {
        return data;
    }

    public Shape shape() {
        return data.shape();
    }

    public Backend backend() {
        return data.backend();
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    Node node() {
        return node;
    }

    /** The same value, cut from the graph. */
    public Tensor detach() {
        return requiresGrad ? constant(data) : this;
    }

    /** The same value as a new leaf that requires a gradient. */
    public Tensor asVariable() {
        return variable(data);
    }

    public double[] toArray() {
        return data.toArray();
    }

    public double item() {
        return data.item();
    }

    /** A scalar constant on this tensor's backend. */
    Tensor scalarLike(double value) {
        return scalar(backend(), value);
    }

    // ---- elementwise ------------------------------------------------------------------

    public Tensor add(Tensor other) {
        return ElementwiseOps.add(this, other);
    }

    public Tensor add(double c) {
        return ElementwiseOps.add(this, scalarLike(c));
    }

    public Tensor sub(Tensor other) {
        return ElementwiseOps.sub(this, other);
    }

    public Tensor sub(double c) {
        return ElementwiseOps.add(this, scalarLike(-c));
    }

    public Tensor mul(Tensor other) {
        return ElementwiseOps.mul(this, other);
    }

    public Tensor mul(double c) {
        return ElementwiseOps.mul(this, scalarLike(c));
    }

    public Tensor div(Tensor other) {
        return ElementwiseOps.div(this, other);
    }

    public Tensor div(double c) {
        return ElementwiseOps.mul(this, scalarLike(1.0 / c));
    }

    public Tensor neg() {
        return ElementwiseOps.neg(this);
    }

    public Tensor exp() {
        return ElementwiseOps.exp(this);
    }

    public Tensor log() {
        return ElementwiseOps.log(this);
    }

    public Tensor sqrt() {
        return ElementwiseOps.sqrt(this);
    }

    public Tensor pow(double exponent) {
        return ElementwiseOps.pow(this, exponent);
    }

    public Tensor square() {
        return ElementwiseOps.pow(this, 2.0);
    }

    public Tensor abs() {
        return ElementwiseOps.abs(this);
    }

    public Tensor sin() {
        return ElementwiseOps.sin(this);
    }

    public Tensor cos() {
        return ElementwiseOps.cos(this);
    }

    public Tensor tanh() {
        return ElementwiseOps.tanh(this);
    }

    public Tensor sigmoid() {
        return ElementwiseOps.sigmoid(this);
    }

    public Tensor relu() {
        return ElementwiseOps.relu(this);
    }

    public Tensor elu(double alpha) {
        return ElementwiseOps.elu(this, alpha);
    }

    public Tensor elu() {
        return ElementwiseOps.elu(this, 1.0);
    }

    public Tensor softplus() {
        return ElementwiseOps.softplus(this);
    }

    /** Clamps to [lo, hi]; the gradient is zero where the value was clamped (as torch.clamp). */
    public Tensor clamp(double lo, double hi) {
        return ElementwiseOps.clamp(this, lo, hi, false);
    }

    /** Clamps to [lo, hi] but passes the gradient through unchanged (straight-through estimator). */
    public Tensor clampStraightThrough(double lo, double hi) {
        return ElementwiseOps.clamp(this, lo, hi, true);
    }

    /** A constant mask: 1 where this &gt; other, else 0. */
    public Tensor gt(Tensor other) {
        return ElementwiseOps.gt(this, other);
    }

    public Tensor gt(double c) {
        return ElementwiseOps.gt(this, scalarLike(c));
    }

    /** {@code mask != 0 ? a : b} elementwise, with broadcasting; the mask is not differentiated. */
    public static Tensor where(Tensor mask, Tensor a, Tensor b) {
        return ElementwiseOps.where(mask, a, b);
    }

    // ---- matrix products ------------------------------------------------------------

    /** Batched matrix product of the last two dimensions; batch dimensions broadcast. */
    public Tensor matmul(Tensor other) {
        return MatMul.apply(this, false, other, false);
    }

    /** {@code op(this) @ op(other)}, op transposing the last two dimensions when its flag is set. */
    public Tensor matmul(boolean transposeThis, Tensor other, boolean transposeOther) {
        return MatMul.apply(this, transposeThis, other, transposeOther);
    }

    /** Swaps the last two dimensions. */
    public Tensor transpose() {
        return ShapeOps.transpose(this);
    }

    // ---- reductions and shapes --------------------------------------------------------

    /** Sum of all elements, a scalar. */
    public Tensor sum() {
        return ShapeOps.sumTo(this, Shape.SCALAR);
    }

    /** Sum over the given axes (negative counts from the end). */
    public Tensor sum(boolean keepDims, int... axes) {
        return ShapeOps.sum(this, keepDims, axes);
    }

    public Tensor mean() {
        return sum().div(shape().size());
    }

    public Tensor mean(boolean keepDims, int... axes) {
        Tensor sum = sum(keepDims, axes); // checks the axes (in range, none repeated) before they are counted
        int count = 1;
        for (int a : axes) {
            count *= shape().dim(a);
        }
        return sum.div(count);
    }

    /** Sums over broadcast dimensions down to {@code target} (the adjoint of {@link #broadcastTo}). */
    public Tensor sumTo(Shape target) {
        return ShapeOps.sumTo(this, target);
    }

    public Tensor broadcastTo(Shape target) {
        return ShapeOps.broadcastTo(this, target);
    }

    public Tensor reshape(int... dims) {
        return ShapeOps.reshape(this, dims);
    }

    /** Elements {@code start} (inclusive) to {@code end} (exclusive) along {@code axis}. */
    public Tensor slice(int axis, int start, int end) {
        return ShapeOps.slice(this, axis, start, end);
    }

    public static Tensor concat(List<Tensor> parts, int axis) {
        return ShapeOps.concat(parts, axis);
    }

    /** Stacks equally shaped tensors along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        return ShapeOps.stack(parts, axis);
    }

    @Override
    public String toString() {
        return "Tensor" + shape() + (node != null ? " <- " + node.op() : requiresGrad ? " (variable)" : "");
    }
}
