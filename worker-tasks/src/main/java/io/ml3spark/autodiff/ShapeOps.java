package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;
import io.ml3spark.tensor.TensorData;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Reductions and shape ops with their adjoints (sumTo and broadcastTo are each other's). */
final class ShapeOps {
    private ShapeOps() {
    }

    static Tensor sumTo(Tensor a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (!target.broadcastsTo(a.shape())) {
            throw new ShapeException("sum", "cannot reduce shape " + a.shape() + " to " + target);
        }
        return Tensor.result("sum", a.backend().sumTo(a.data(), target),
                (out, g, needs) -> new Tensor[] {g.broadcastTo(a.shape())}, a);
    }

    static Tensor broadcastTo(Tensor a, Shape target) {
        if (a.shape().equals(target)) {
            return a;
        }
        if (!a.shape().broadcastsTo(target)) {
            throw new ShapeException("broadcastTo", "cannot broadcast shape " + a.shape() + " to " + target);
        }
        return Tensor.result("broadcastTo", a.backend().broadcastTo(a.data(), target),
                (out, g, needs) -> new Tensor[] {g.sumTo(a.shape())}, a);
    }

    static Tensor sum(Tensor a, boolean keepDims, int... axes) {
        Shape s = a.shape();
        int[] kept = s.dims();
        boolean[] isAxis = new boolean[s.rank()];
        for (int axis : axes) {
            int ax = s.normalizeAxis("sum", axis);
            if (isAxis[ax]) {
                throw new ShapeException("sum", "axis " + axis + " repeated in " + Arrays.toString(axes) + " for shape " + s);
            }
            isAxis[ax] = true;
            kept[ax] = 1;
        }
        Tensor reduced = sumTo(a, Shape.of(kept));
        if (keepDims) {
            return reduced;
        }
        int[] dropped = new int[s.rank()];
        int r = 0;
        for (int i = 0; i < s.rank(); i++) {
            if (!isAxis[i]) {
                dropped[r++] = s.dim(i);
            }
        }
        return reshape(reduced, Arrays.copyOf(dropped, r));
    }

    /** One dimension may be -1, inferred from the others. */
    static Tensor reshape(Tensor a, int... dims) {
        Shape target = resolve(a.shape(), dims);
        if (target.equals(a.shape())) {
            return a;
        }
        Shape from = a.shape();
        return Tensor.result("reshape", a.backend().reshape(a.data(), target),
                (out, g, needs) -> new Tensor[] {reshape(g, from.dims())}, a);
    }

    private static Shape resolve(Shape from, int[] dims) {
        int known = 1;
        int inferred = -1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (inferred >= 0) {
                    throw new ShapeException("reshape", "more than one -1 in " + Arrays.toString(dims));
                }
                inferred = i;
            } else {
                known *= dims[i];
            }
        }
        int[] d = dims.clone();
        if (inferred >= 0) {
            if (known == 0 || from.size() % known != 0) {
                throw new ShapeException("reshape", "cannot reshape " + from + " to " + Arrays.toString(dims));
            }
            d[inferred] = from.size() / known;
        }
        Shape target = Shape.of(d);
        if (target.size() != from.size()) {
            throw new ShapeException("reshape", "cannot reshape " + from + " (" + from.size() + " elements) to " + target);
        }
        return target;
    }

    static Tensor transpose(Tensor a) {
        if (a.shape().rank() < 2) {
            throw new ShapeException("transpose", "needs rank >= 2, got " + a.shape());
        }
        return Tensor.result("transpose", a.backend().transpose(a.data()),
                (out, g, needs) -> new Tensor[] {g.transpose()}, a);
    }

    static Tensor slice(Tensor a, int axis, int start, int end) {
        Shape s = a.shape();
        int ax = s.normalizeAxis("slice", axis);
        if (start < 0 || end > s.dim(ax) || start > end) {
            throw new ShapeException("slice", "range [" + start + ", " + end + ") out of bounds for axis " + axis
                    + " of shape " + s);
        }
        if (start == 0 && end == s.dim(ax)) {
            return a;
        }
        return Tensor.result("slice", a.backend().slice(a.data(), ax, start, end), (out, g, needs) -> {
            List<Tensor> parts = new ArrayList<>(3);
            if (start > 0) {
                parts.add(Tensor.constant(a.backend().full(s.withDim(ax, start), 0.0)));
            }
            parts.add(g);
            if (end < s.dim(ax)) {
                parts.add(Tensor.constant(a.backend().full(s.withDim(ax, s.dim(ax) - end), 0.0)));
            }
            return new Tensor[] {concat(parts, ax)};
        }, a);
    }

    static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("concat", "no tensors to concatenate");
        }
        Shape first = parts.get(0).shape();
        int ax = first.normalizeAxis("concat", axis);
        int[] offsets = new int[parts.size() + 1];
        List<TensorData> data = new ArrayList<>(parts.size());
        for (int i = 0; i < parts.size(); i++) {
            Tensor p = parts.get(i);
            ElementwiseOps.checkSameBackend("concat", parts.get(0), p);
            Shape s = p.shape();
            if (s.rank() != first.rank() || !s.withDim(ax, 1).equals(first.withDim(ax, 1))) {
                throw new ShapeException("concat", "shapes " + first + " and " + s + " differ outside axis " + axis);
            }
            offsets[i + 1] = offsets[i] + s.dim(ax);
            data.add(p.data());
        }
        if (parts.size() == 1) {
            return parts.get(0);
        }
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return Tensor.result("concat", parts.get(0).backend().concat(data, ax),
                (out, g, needs) -> {
                    Tensor[] grads = new Tensor[inputs.length];
                    for (int i = 0; i < inputs.length; i++) {
                        if (needs[i]) {
                            grads[i] = g.slice(ax, offsets[i], offsets[i + 1]);
                        }
                    }
                    return grads;
                }, inputs);
    }

    static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) {
            throw new ShapeException("stack", "no tensors to stack");
        }
        Shape s = parts.get(0).shape();
        int ax = axis < 0 ? axis + s.rank() + 1 : axis;
        if (ax < 0 || ax > s.rank()) {
            throw new ShapeException("stack", "axis " + axis + " out of range for shape " + s);
        }
        int[] d = new int[s.rank() + 1];
        for (int i = 0, j = 0; i < d.length; i++) {
            d[i] = i == ax ? 1 : s.dim(j++);
        }
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (Tensor p : parts) {
            if (!p.shape().equals(s)) {
                throw new ShapeException("stack", "shapes " + s + " and " + p.shape() + " differ");
            }
            expanded.add(reshape(p, d));
        }
        return concat(expanded, ax);
    }
}
