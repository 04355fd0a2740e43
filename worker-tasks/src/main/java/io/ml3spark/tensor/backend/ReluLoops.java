package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.BinaryKernel;
import io.ml3spark.tensor.UnaryKernel;
/**
 * The elementwise loops that select on {@code x > 0}: ReLU, its derivative mask and its
 * adjoint, the most frequent elementwise kernels of ML3's networks. The JIT does not vectorise a select, so
 * with the Vector API present {@link #INSTANCE} is {@link VectorReluLoops}.
 */
interface ReluLoops {
    ReluLoops PLAIN = new Plain();
    ReluLoops INSTANCE = VectorApi.load(ReluLoops.class, "VectorReluLoops", PLAIN);

    /** {@code y = x > 0 ? x : 0}, as {@link UnaryKernel#RELU}. */
    void relu(double[] x, double[] y);

    /** {@code y = x > 0 ? 1 : 0}, as {@link UnaryKernel#STEP}. */
    void step(double[] x, double[] y);

    /** {@code z = x > 0 ? g : 0}, as {@link BinaryKernel#WHERE_POSITIVE}. */
    void wherePositive(double[] g, double[] x, double[] z);

    final class Plain implements ReluLoops {
        @Override
        public void wherePositive(double[] g, double[] x, double[] z) {
            for (int i = 0; i < z.length; i++) {
                z[i] = x[i] > 0 ? g[i] : 0.0;
            }
        }

        @Override
        public void relu(double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] > 0 ? x[i] : 0.0;
            }
        }

        @Override
        public void step(double[] x, double[] y) {
            for (int i = 0; i < x.length; i++) {
                y[i] = x[i] > 0 ? 1.0 : 0.0;
            }
        }
    }
}
