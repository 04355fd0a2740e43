package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

import java.util.ArrayList;
import java.util.List;

/**
 * 2-D convolution on channels-last images, as im2col followed by one (batched) matrix
 * product. The patches are built from {@code slice} and {@code concat}, whose backward
 * rules are each other (a slice's adjoint pads with zeros by concatenation, a concat's
 * adjoint slices), so the convolution's gradients are themselves convolutions built from
 * the same differentiable ops, to every order, with no kernel of its own.
 */
public final class Convolution {
    private Convolution() {
    }

    /**
     * Valid (unpadded), stride-1 cross-correlation, as {@code torch.nn.functional.conv2d}.
     *
     * @param x      images {@code [T, ..., H, W, Cin]}: a leading task dimension T, any sample dimensions
     * @param kernel {@code [T, KH, KW, Cin, Cout]} (one kernel per task) or {@code [KH, KW, Cin, Cout]} (shared)
     * @return {@code [T, ..., H - KH + 1, W - KW + 1, Cout]}
     */
    public static Tensor conv2d(Tensor x, Tensor kernel) {
        Shape xs = x.shape();
        Shape ks = kernel.shape();
        boolean perTask = ks.rank() == 5;
        if (xs.rank() < 4 || (ks.rank() != 4 && !perTask)) {
            throw new ShapeException("conv2d", "expects images [T, ..., H, W, Cin] and a kernel [T, KH, KW, Cin, Cout]"
                    + " or [KH, KW, Cin, Cout], got " + xs + " and " + ks);
        }
        int kh = ks.dim(-4);
        int kw = ks.dim(-3);
        int cin = ks.dim(-2);
        int cout = ks.dim(-1);
        if (xs.dim(-1) != cin || (perTask && ks.dim(0) != xs.dim(0))) {
            throw new ShapeException("conv2d", "kernel " + ks + " does not fit images " + xs
                    + " (channels and, for a per-task kernel, the task dimension must agree)");
        }
        Tensor cols = patches(x, kh, kw);
        int k = kh * kw * cin;
        Tensor product = perTask
                ? cols.reshape(xs.dim(0), -1, k).matmul(kernel.reshape(xs.dim(0), k, cout))
                : cols.reshape(-1, k).matmul(kernel.reshape(k, cout));
        int[] out = cols.shape().dims();
        out[out.length - 1] = cout;
        return product.reshape(out);
    }

    /**
     * im2col: {@code [..., H, W, C]} to {@code [..., OH, OW, KH * KW * C]} with element
     * {@code (i, j, (a * KW + b) * C + c) = x[i + a, j + b, c]}, the layout of a kernel
     * {@code [KH, KW, C, Cout]} flattened to {@code [KH * KW * C, Cout]}.
     */
    public static Tensor patches(Tensor x, int kh, int kw) {
        Shape s = x.shape();
        if (s.rank() < 3 || kh < 1 || kw < 1 || kh > s.dim(-3) || kw > s.dim(-2)) {
            throw new ShapeException("patches", kh + "x" + kw + " patches do not fit images " + s
                    + " ([..., H, W, C] expected)");
        }
        int oh = s.dim(-3) - kh + 1;
        int ow = s.dim(-2) - kw + 1;
        List<Tensor> parts = new ArrayList<>(kh * kw);
        for (int a = 0; a < kh; a++) {
            Tensor rows = x.slice(-3, a, a + oh);
            for (int b = 0; b < kw; b++) {
                parts.add(rows.slice(-2, b, b + ow));
            }
        }
        return Tensor.concat(parts, -1);
    }
}
