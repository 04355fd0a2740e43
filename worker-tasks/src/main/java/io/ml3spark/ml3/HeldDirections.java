package io.ml3spark.ml3;

/**
 * Keeps an update of phi from moving along given directions: an update that must leave some
 * quantity q(phi) unchanged to first order (for example the task loss after an earlier inner
 * step) holds the direction dq/dphi, and its step is projected onto the orthogonal complement
 * of all held directions. Both the meta-gradient and the optimizer's step are projected:
 * Adam rescales each coordinate, so a projected gradient alone does not give a projected step.
 */
public final class HeldDirections {
    /** Directions whose remaining norm after Gram-Schmidt is below this fraction are dependent and dropped. */
    private static final double DEPENDENT = 1e-9;

    private HeldDirections() {
    }

    /** {@code v} without its components along the span of {@code directions}. */
    public static double[] project(double[] v, double[][] directions) {
        double[] out = v.clone();
        for (double[] u : orthonormal(directions)) {
            double c = dot(out, u);
            for (int i = 0; i < out.length; i++) {
                out[i] -= c * u[i];
            }
        }
        return out;
    }

    /** The point {@code from + P(to - from)}: the step from {@code from} to {@code to}, projected. */
    public static double[] step(double[] from, double[] to, double[][] directions) {
        if (directions.length == 0) {
            return to;
        }
        double[] delta = new double[from.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = to[i] - from[i];
        }
        double[] projected = project(delta, directions);
        double[] out = new double[from.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = from[i] + projected[i];
        }
        return out;
    }

    /** An orthonormal basis of the directions' span (modified Gram-Schmidt). */
    static double[][] orthonormal(double[][] directions) {
        double[][] basis = new double[directions.length][];
        int n = 0;
        for (double[] d : directions) {
            double[] v = d.clone();
            double original = Math.sqrt(dot(v, v));
            for (int b = 0; b < n; b++) {
                double c = dot(v, basis[b]);
                for (int i = 0; i < v.length; i++) {
                    v[i] -= c * basis[b][i];
                }
            }
            double norm = Math.sqrt(dot(v, v));
            if (norm > DEPENDENT * original && norm > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] /= norm;
                }
                basis[n++] = v;
            }
        }
        return java.util.Arrays.copyOf(basis, n);
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }
}
