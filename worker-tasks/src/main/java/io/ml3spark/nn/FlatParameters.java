package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Tensors of any shapes (a task dimension included) as one flat vector for an optimiser, and back. */
public final class FlatParameters {
    private FlatParameters() {
    }

    public static double[] flatten(List<Tensor> tensors) {
        double[] flat = new double[tensors.stream().mapToInt(t -> t.shape().size()).sum()];
        int at = 0;
        for (Tensor t : tensors) {
            double[] v = t.toArray();
            System.arraycopy(v, 0, flat, at, v.length);
            at += v.length;
        }
        return flat;
    }

    /** Fresh leaves of {@code shapes} holding {@code flat} in order. */
    public static List<Tensor> variables(Backend backend, double[] flat, List<Shape> shapes) {
        List<Tensor> out = new ArrayList<>();
        int at = 0;
        for (Shape s : shapes) {
            out.add(Tensor.constant(backend, Arrays.copyOfRange(flat, at, at + s.size()), s.dims()).asVariable());
            at += s.size();
        }
        if (at != flat.length) {
            throw new IllegalArgumentException(flat.length + " values for shapes of " + at);
        }
        return out;
    }
}
