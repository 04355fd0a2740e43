package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution on channels-first images (PyTorch's layout), as im2col followed by one
 * batched matrix product. The patches are built from {@code slice} and {@code concat},
 * whose backward rules are each other (a slice's adjoint pads with zeros by concatenation,
 * a concat's adjoint slices), so the convolution's gradients are built from the same
 * differentiable ops, to every order, with no kernel of its own. Channels-first keeps
 * every copy a contiguous run of an image row or a whole output plane.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * Valid (unpadded), stride-1 cross-correlation, as {@code torch.nn.functional.conv2d}.
     *
     * @param x      images {@code [T, ..., Cin, H, W]}: a leading task dimension T, any sample dimensions
     * @param kernel {@code [T, Cout, Cin, KH, KW]} (one kernel per task) or {@code [Cout, Cin, KH, KW]} (shared)
     * @return {@code [T, ..., Cout, H - KH + 1, W - KW + 1]}
     */
    public static Tensor conv2d(Tensor x, Tensor kernel) {
        Shape xs = x.shape();
        Shape ks = kernel.shape();
        boolean perTask = ks.rank() == 5;
        if (xs.rank() < 4 || (ks.rank() != 4 && !perTask)) {
            throw new ShapeException("conv2d", "expects images [T, ..., Cin, H, W] and a kernel [T, Cout, Cin, KH, KW]"
                    + " or [Cout, Cin, KH, KW], got " + xs + " and " + ks);
        }
        int cout = ks.dim(-4);
        int cin = ks.dim(-3);
        int kh = ks.dim(-2);
        int kw = ks.dim(-1);
        if (xs.dim(-3) != cin || (perTask && ks.dim(0) != xs.dim(0))) {
            throw new ShapeException("conv2d", "kernel " + ks + " does not fit images " + xs
                    + " (channels and, for a per-task kernel, the task dimension must agree)");
        }
        Tensor cols = patches(x, kh, kw);
        int oh = xs.dim(-2) - kh + 1;
        int ow = xs.dim(-1) - kw + 1;
        int[] weights = new int[xs.rank() - 1];
        java.util.Arrays.fill(weights, 1);
        weights[0] = perTask ? xs.dim(0) : 1;
        weights[weights.length - 2] = cout;
        weights[weights.length - 1] = cin * kh * kw;
        int[] out = xs.dims();
        out[out.length - 3] = cout;
        out[out.length - 2] = oh;
        out[out.length - 1] = ow;
        return kernel.reshape(weights).matmul(cols).reshape(out);
    }

    /**
     * im2col: {@code [..., C, H, W]} to {@code [..., C * KH * KW, OH * OW]} with element
     * {@code ((c * KH + a) * KW + b, i * OW + j) = x[c, i + a, j + b]}, matching a kernel
     * {@code [Cout, C, KH, KW]} flattened to {@code [Cout, C * KH * KW]}.
     */
    public static Tensor patches(Tensor x, int kh, int kw) {
        Shape s = x.shape();
        if (s.rank() < 3 || kh < 1 || kw < 1 || kh > s.dim(-2) || kw > s.dim(-1)) {
            throw new ShapeException("patches", kh + "x" + kw + " patches do not fit images " + s
                    + " ([..., C, H, W] expected)");
        }
        int oh = s.dim(-2) - kh + 1;
        int ow = s.dim(-1) - kw + 1;
        int[] part = s.dims();
        part[part.length - 2] = 1;
        part[part.length - 1] = oh * ow;
        List<Tensor> parts = new ArrayList<>(kh * kw);
        for (int a = 0; a < kh; a++) {
            Tensor rows = x.slice(-2, a, a + oh);
            for (int b = 0; b < kw; b++) {
                parts.add(rows.slice(-1, b, b + ow).reshape(part));
            }
        }
        int[] out = s.dims();
        out[out.length - 3] = s.dim(-3) * kh * kw;
        out[out.length - 2] = oh * ow;
        return Tensor.concat(parts, -2).reshape(java.util.Arrays.copyOf(out, out.length - 1));
    }
}
