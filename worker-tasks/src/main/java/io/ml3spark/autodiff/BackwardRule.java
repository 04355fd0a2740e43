package io.ml3spark.autodiff;

/**
 * How an op sends the gradient of its output back to its inputs. Rules are written with
 * differentiable {@link Tensor} ops only, never raw kernels, so that the gradient they
 * return is itself differentiable when {@link Autograd} is asked to create a graph.
 */
@FunctionalInterface
interface BackwardRule {
    /**
     * @param out   the op's output
     * @param grad  gradient of the objective with respect to {@code out}
     * @param needs which inputs need a gradient; the others may be left null
     * @return one gradient per input, each of that input's shape (or null where not needed)
     */
    Tensor[] apply(Tensor out, Tensor grad, boolean[] needs);
}
