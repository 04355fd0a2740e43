package io.ml3spark.autodiff;

import io.ml3spark.tensor.ShapeException;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reverse-mode differentiation, in the spirit of {@code torch.autograd.grad}: gradients of
 * outputs with respect to chosen inputs, returned rather than stored. With
 * {@code createGraph} the backward rules record their own graph, so the returned
 * gradients can be differentiated again (to any order); without it they run with
 * recording off and cost no more than a first-order backward pass. Only the part of the
 * graph that lies between the outputs and the requested inputs is visited.
 */
public final class Autograd {
    private Autograd() {
    }

    /** Gradient of a scalar {@code output} with respect to each input. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph) {
        return grad(List.of(output), null, inputs, createGraph);
    }

    /** As {@link #grad(Tensor, List, boolean)}; with {@code allowUnused} an input the output does not use gets null. */
    public static List<Tensor> grad(Tensor output, List<Tensor> inputs, boolean createGraph, boolean allowUnused) {
        return grad(List.of(output), null, inputs, createGraph, allowUnused);
    }

    public static Tensor grad(Tensor output, Tensor input, boolean createGraph) {
        return grad(List.of(output), null, List.of(input), createGraph).get(0);
    }

    /**
     * Vector-Jacobian product: sum over outputs of {@code gradOutputs[i]^T d outputs[i] / d inputs}.
     * {@code gradOutputs} may be null when every output is a scalar (each then gets 1).
     * As in PyTorch, these are errors naming the tensor, because each would otherwise be a
     * silently zero gradient, almost always from a bug (an inner step taken without its graph,
     * a parameter created without its differentiable flag): an output or an input that does
     * not require grad, and an input the outputs do not use.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> gradOutputs, List<Tensor> inputs,
                                    boolean createGraph) {
        return grad(outputs, gradOutputs, inputs, createGraph, false);
    }

    /**
     * As {@link #grad(List, List, List, boolean)}; with {@code allowUnused} an input the outputs
     * do not use gets null, as in PyTorch (e.g. a bias that cannot change what is
     * differentiated), so that the caller can tell it from a gradient that happens to be zero.
     */
    public static List<Tensor> grad(List<Tensor> outputs, List<Tensor> gradOutputs, List<Tensor> inputs,
                                    boolean createGraph, boolean allowUnused) {
        for (int i = 0; i < outputs.size(); i++) {
            if (!outputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: output " + i + " of " + outputs.size() + " (shape "
                        + outputs.get(i).shape() + ") does not require grad: nothing it was computed from does"
                        + " (was a step taken without its graph?)");
            }
        }
        for (int i = 0; i < inputs.size(); i++) {
            if (!inputs.get(i).requiresGrad()) {
                throw new IllegalArgumentException("grad: input " + i + " of " + inputs.size() + " (shape "
                        + inputs.get(i).shape() + ") does not require grad (was it created differentiable?)");
            }
        }
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        for (int i = 0; i < outputs.size(); i++) {
            Tensor out = outputs.get(i);
            Tensor seed = gradOutputs != null ? gradOutputs.get(i) : null;
            if (seed == null) {
                if (out.shape().size() != 1) {
                    throw new ShapeException("grad", "output of shape " + out.shape()
                            + " is not a scalar; pass its gradOutput");
                }
                seed = Tensor.full(out.backend(), 1.0, out.shape().dims());
            } else if (!seed.shape().equals(out.shape())) {
                throw new ShapeException("grad", "gradOutput shape " + seed.shape() + " differs from output shape " + out.shape());
            }
            accumulate(grads, out, seed);
        }
        Map<Tensor, Boolean> wanted = new IdentityHashMap<>();
        for (Tensor in : inputs) {
            wanted.put(in, Boolean.TRUE);
        }
        List<Tensor> order = topologicalOrder(outputs);
        Map<Tensor, Boolean> leadsToInput = new IdentityHashMap<>();
        for (Tensor t : order) {
            boolean leads = wanted.containsKey(t);
            Node node = t.node();
            if (node != null) {
                for (Tensor in : node.inputs()) {
                    leads |= leadsToInput.getOrDefault(in, Boolean.FALSE);
                }
            }
            leadsToInput.put(t, leads);
        }
        try (GradMode.Scope ignored = GradMode.set(createGraph)) {
            for (int idx = order.size() - 1; idx >= 0; idx--) {
                Tensor t = order.get(idx);
                Node node = t.node();
                Tensor g = grads.get(t);
                if (node == null || g == null || !leadsToInput.get(t)) {
                    continue;
                }
                Tensor[] ins = node.inputs();
                boolean[] needs = new boolean[ins.length];
                boolean any = false;
                for (int i = 0; i < ins.length; i++) {
                    needs[i] = ins[i].requiresGrad() && leadsToInput.getOrDefault(ins[i], Boolean.FALSE);
                    any |= needs[i];
                }
                if (!any) {
                    continue;
                }
                Tensor[] inGrads = node.rule().apply(t, g, needs);
                for (int i = 0; i < ins.length; i++) {
                    if (needs[i] && inGrads[i] != null) {
                        accumulate(grads, ins[i], inGrads[i]);
                    }
                }
                if (!wanted.containsKey(t)) {
                    grads.remove(t);
                }
            }
        }
        List<Tensor> result = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            Tensor in = inputs.get(i);
            Tensor g = grads.get(in);
            if (g == null && !allowUnused) {
                throw new IllegalArgumentException("grad: the outputs do not use input " + i + " of " + inputs.size()
                        + " (shape " + in.shape() + "); pass allowUnused if it is meant not to matter");
            }
            result.add(g);
        }
        return result;
    }

    private static void accumulate(Map<Tensor, Tensor> grads, Tensor t, Tensor g) {
        grads.merge(t, g, Tensor::add);
    }

    /** Tensors reachable from the outputs through recorded nodes, each after all its inputs. */
    private static List<Tensor> topologicalOrder(List<Tensor> outputs) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> visited = new IdentityHashMap<>();
        Deque<Object[]> stack = new ArrayDeque<>();
        for (Tensor root : outputs) {
            if (visited.containsKey(root)) {
                continue;
            }
            visited.put(root, Boolean.TRUE);
            stack.push(new Object[] {root, 0});
            while (!stack.isEmpty()) {
                Object[] frame = stack.peek();
                Tensor t = (Tensor) frame[0];
                int next = (Integer) frame[1];
                Node node = t.node();
                if (node != null && next < node.inputs().length) {
                    frame[1] = next + 1;
                    Tensor in = node.inputs()[next];
                    if (!visited.containsKey(in)) {
                        visited.put(in, Boolean.TRUE);
                        stack.push(new Object[] {in, 0});
                    }
                } else {
                    stack.pop();
                    order.add(t);
                }
            }
        }
        return order;
    }
}
