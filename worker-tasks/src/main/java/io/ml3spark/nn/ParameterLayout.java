package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How a list of parameter tensors maps to one flat {@code double[]}: the form in which phi
 * is broadcast, aggregated, stepped by Adam and saved.
 */
public final class ParameterLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Shape[] shapes;
    private final int size;

    public ParameterLayout(List<Shape> shapes) {
        this.shapes = shapes.toArray(new Shape[0]);
        int n = 0;
        for (Shape s : shapes) {
            n += s.size();
        }
        this.size = n;
    }

    public List<Shape> shapes() {
        return List.of(shapes);
    }

    /** Total number of scalars. */
    public int size() {
        return size;
    }

    /** Splits {@code flat} into tensors that require gradients. */
    public List<Tensor> variables(Backend backend, double[] flat) {
        if (flat.length != size) {
            throw new IllegalArgumentException("parameter vector has " + flat.length + " values, layout "
                    + Arrays.toString(shapes) + " needs " + size);
        }
        List<Tensor> out = new ArrayList<>(shapes.length);
        int off = 0;
        for (Shape s : shapes) {
            out.add(Tensor.variable(backend.fromArray(s, Arrays.copyOfRange(flat, off, off + s.size()))));
            off += s.size();
        }
        return out;
    }

    /** The tensors' values in one vector, in layout order; a null tensor (a gradient nothing reached) is zeros. */
    public double[] flatten(List<Tensor> tensors) {
        double[] flat = new double[size];
        int off = 0;
        for (int i = 0; i < shapes.length; i++) {
            if (tensors.get(i) == null) {
                off += shapes[i].size();
                continue;
            }
            double[] v = tensors.get(i).toArray();
            if (!tensors.get(i).shape().equals(shapes[i])) {
                throw new IllegalArgumentException("tensor " + i + " has shape " + tensors.get(i).shape()
                        + ", layout expects " + shapes[i]);
            }
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        return flat;
    }
}
