package io.ml3spark.tensor;

import java.io.Serializable;
import java.util.Arrays;

/**
 * The dimensions of a dense row-major tensor. By convention the leading dimension of a
 * batched tensor is the task batch {@code B}, so one op serves B tasks at once.
 * Broadcasting follows NumPy: dimensions are aligned from the right, and a dimension of
 * size 1 (or a missing leading one) stretches to match the other operand.
 */
public final class Shape implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final int size;

    private Shape(int[] dims) {
        int n = 1;
        for (int d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        this.dims = dims;
        this.size = n;
    }

    public static Shape of(int... dims) {
        return dims.length == 0 ? SCALAR : new Shape(dims.clone());
    }

    public int rank() {
        return dims.length;
    }

    /** Dimension {@code axis}; negative axes count from the end, as in NumPy. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis)];
    }

    public int size() {
        return size;
    }

    public int[] dims() {
        return dims.clone();
    }

    public int normalizeAxis(int axis) {
        return normalizeAxis("shape", axis);
    }

    /** As {@link #normalizeAxis(int)}; an axis out of range is a {@link ShapeException} naming {@code op}. */
    public int normalizeAxis(String op, int axis) {
        int a = axis < 0 ? axis + dims.length : axis;
        if (a < 0 || a >= dims.length) {
            throw new ShapeException(op, "axis " + axis + " out of range for shape " + this);
        }
        return a;
    }

    /** Row-major strides in elements. */
    public int[] strides() {
        int[] s = new int[dims.length];
        int acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** This shape with dimension {@code axis} replaced by {@code value}. */
    public Shape withDim(int axis, int value) {
        int[] d = dims.clone();
        d[normalizeAxis(axis)] = value;
        return new Shape(d);
    }

    /** The dimensions from {@code from} (inclusive) to {@code to} (exclusive). */
    public Shape sub(int from, int to) {
        return new Shape(Arrays.copyOfRange(dims, from, to));
    }

    /** The shape both operands of an elementwise op broadcast to; {@code op} names the op in errors. */
    public static Shape broadcast(String op, Shape a, Shape b) {
        if (a.equals(b)) {
            return a;
        }
        int rank = Math.max(a.rank(), b.rank());
        int[] out = new int[rank];
        for (int i = 0; i < rank; i++) {
            int da = i < rank - a.rank() ? 1 : a.dims[i - (rank - a.rank())];
            int db = i < rank - b.rank() ? 1 : b.dims[i - (rank - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op, "cannot broadcast shapes " + a + " and " + b);
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    /** True if this shape broadcasts to {@code target} without changing {@code target}. */
    public boolean broadcastsTo(Shape target) {
        if (rank() > target.rank()) {
            return false;
        }
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            if (dims[i] != 1 && dims[i] != target.dims[i + off]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Strides for reading this shape as if broadcast to {@code target}: a stretched or
     * missing dimension gets stride 0. The result has {@code target.rank()} entries.
     */
    public int[] broadcastStrides(Shape target) {
        int[] own = strides();
        int[] out = new int[target.rank()];
        int off = target.rank() - rank();
        for (int i = 0; i < rank(); i++) {
            out[i + off] = dims[i] == 1 && target.dims[i + off] != 1 ? 0 : own[i];
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && Arrays.equals(dims, s.dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        return Arrays.toString(dims);
    }
}
