package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How a model's named parameter tensors map to one flat {@code double[]}: the form in which
 * phi is broadcast, aggregated and stepped by Adam. Files store the tensors by name
 * ({@link #split}, {@link #join}); this class is the one place that flattens.
 */
public final class ParameterLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Parameter[] parameters;
    private final Shape[] shapes;
    private final int size;

    public ParameterLayout(List<Parameter> parameters) {
        this.parameters = parameters.toArray(new Parameter[0]);
        this.shapes = parameters.stream().map(Parameter::shape).toArray(Shape[]::new);
        Set<String> names = new HashSet<>();
        int n = 0;
        for (Parameter p : parameters) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' is named twice");
            }
            n += p.shape().size();
        }
        this.size = n;
    }

    public List<Parameter> parameters() {
        return List.of(parameters);
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

    /** {@code flat} as one array per parameter, by name, in layout order. */
    public Map<String, double[]> split(double[] flat) {
        if (flat.length != size) {
            throw new IllegalArgumentException("parameter vector has " + flat.length + " values, layout needs " + size);
        }
        Map<String, double[]> named = new LinkedHashMap<>();
        int off = 0;
        for (Parameter p : parameters) {
            named.put(p.name(), Arrays.copyOfRange(flat, off, off + p.shape().size()));
            off += p.shape().size();
        }
        return named;
    }

    /**
     * The flat vector of the parameters' values, {@code valueOf} giving each parameter's
     * (which must have its shape's size); the inverse of {@link #split}.
     */
    public double[] join(Function<Parameter, double[]> valueOf) {
        double[] flat = new double[size];
        int off = 0;
        for (Parameter p : parameters) {
            double[] v = valueOf.apply(p);
            if (v.length != p.shape().size()) {
                throw new IllegalArgumentException("parameter '" + p.name() + "' has " + v.length + " values, its shape "
                        + p.shape() + " needs " + p.shape().size());
            }
            System.arraycopy(v, 0, flat, off, v.length);
            off += v.length;
        }
        return flat;
    }
}
