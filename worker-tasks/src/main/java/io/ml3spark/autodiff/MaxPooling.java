package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

/**
 * Non-overlapping max-pooling on channels-first images: the input, viewed as windows, is
 * multiplied by a constant one-hot mask at each window's argmax and summed over the
 * window. The mask is data (like relu's step), so the gradient is a scatter of the
 * output's gradient into the argmax positions, written in the same differentiable ops;
 * max-pooling being piecewise linear, its second derivative is zero, as the composition's is.
 */
public final class MaxPooling {
    private MaxPooling() {
    }

    /** {@code [..., H, W]} to {@code [..., H / size, W / size]}; H and W must be multiples of size. */
    public static Tensor maxPool2d(Tensor x, int size) {
        Shape s = x.shape();
        if (s.rank() < 2 || size < 1 || s.dim(-2) % size != 0 || s.dim(-1) % size != 0) {
            throw new ShapeException("maxPool2d", "pool size " + size + " must divide H and W of images [..., H, W], got " + s);
        }
        int rank = s.rank();
        int h = s.dim(-2) / size;
        int w = s.dim(-1) / size;
        int[] windows = java.util.Arrays.copyOf(s.dims(), rank + 2);
        windows[rank - 2] = h;
        windows[rank - 1] = size;
        windows[rank] = w;
        windows[rank + 1] = size;
        Tensor viewed = x.reshape(windows);
        Tensor mask = Tensor.constant(x.backend().fromArray(viewed.shape(), argmaxMask(x.toArray(), h, w, size)));
        return viewed.mul(mask).sum(false, -3, -1);
    }

    /** 1 at the first maximum of each window (row-major within the window, as PyTorch), 0 elsewhere. */
    private static double[] argmaxMask(double[] v, int h, int w, int size) {
        double[] mask = new double[v.length];
        int rowStride = w * size;
        int plane = h * size * rowStride;
        for (int base = 0; base < v.length; base += plane) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    int first = base + i * size * rowStride + j * size;
                    int best = first;
                    for (int a = 0; a < size; a++) {
                        for (int b = 0; b < size; b++) {
                            int at = first + a * rowStride + b;
                            if (v[at] > v[best]) {
                                best = at;
                            }
                        }
                    }
                    mask[best] = 1.0;
                }
            }
        }
        return mask;
    }
}
