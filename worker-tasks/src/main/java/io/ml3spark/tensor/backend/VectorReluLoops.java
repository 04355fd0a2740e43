package io.ml3spark.tensor.backend;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** {@link ReluLoops} with a vector compare and blend. Only loaded through {@link VectorApi#load}. */
final class VectorReluLoops implements ReluLoops {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_256;

    @Override
    public void relu(double[] x, double[] y) {
        DoubleVector zero = DoubleVector.zero(S);
        int i = 0;
        for (; i <= x.length - S.length(); i += S.length()) {
            DoubleVector v = DoubleVector.fromArray(S, x, i);
            zero.blend(v, positive(v)).intoArray(y, i);
        }
        for (; i < x.length; i++) {
            y[i] = x[i] > 0 ? x[i] : 0.0;
        }
    }

    @Override
    public void step(double[] x, double[] y) {
        DoubleVector zero = DoubleVector.zero(S);
        DoubleVector one = DoubleVector.broadcast(S, 1.0);
        int i = 0;
        for (; i <= x.length - S.length(); i += S.length()) {
            zero.blend(one, positive(DoubleVector.fromArray(S, x, i))).intoArray(y, i);
        }
        for (; i < x.length; i++) {
            y[i] = x[i] > 0 ? 1.0 : 0.0;
        }
    }

    @Override
    public void wherePositive(double[] g, double[] x, double[] z) {
        DoubleVector zero = DoubleVector.zero(S);
        int i = 0;
        for (; i <= z.length - S.length(); i += S.length()) {
            zero.blend(DoubleVector.fromArray(S, g, i), positive(DoubleVector.fromArray(S, x, i))).intoArray(z, i);
        }
        for (; i < z.length; i++) {
            z[i] = x[i] > 0 ? g[i] : 0.0;
        }
    }

    /** Lanes greater than 0; false for NaN, as the scalar {@code x > 0}. */
    private static VectorMask<Double> positive(DoubleVector v) {
        return v.compare(VectorOperators.GT, 0.0);
    }
}
