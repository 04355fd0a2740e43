package io.ml3spark.autodiff;

import io.ml3spark.tensor.Shape;
import io.ml3spark.tensor.ShapeException;

/**
 * Non-overlapping max-pooling on channels-last images: the input, viewed as windows, is
 * multiplied by a constant one-hot mask at each window's argmax and summed over the
 * window. The mask is data (like relu's step), so the gradient is a scatter of the
 * output's gradient into the argmax positions, written in the same differentiable ops;
 * max-pooling being piecewise linear, its second derivative is zero, as the composition's is.
 */
public final class MaxPooling {
    private MaxPooling() {
    }

    /** {@code [..., H, W, C]} to {@code [..., H / size, W / size, C]}; H and W must be multiples of size. */
    public static Tensor maxPool2d(Tensor x, int size) {
        Shape s = x.shape();
        if (s.rank() < 3 || size < 1 || s.dim(-3) % size != 0 || s.dim(-2) % size != 0) {
            throw new ShapeException("maxPool2d", "pool size " + size + " must divide H and W of images [..., H, W, C], got " + s);
        }
        int rank = s.rank();
        int[] windows = new int[rank + 2];
        for (int i = 0; i < rank - 3; i++) {
            windows[i] = s.dim(i);
        }
        int h = s.dim(-3) / size;
        int w = s.dim(-2) / size;
        int c = s.dim(-1);
        windows[rank - 3] = h;
        windows[rank - 2] = size;
        windows[rank - 1] = w;
        windows[rank] = size;
        windows[rank + 1] = c;
        Tensor viewed = x.reshape(windows);
        Tensor mask = Tensor.constant(x.backend().fromArray(viewed.shape(), argmaxMask(x.toArray(), h, w, size, c)));
        return viewed.mul(mask).sum(false, -4, -2);
    }

    /** 1 at the first maximum of each window (row-major within the window, as PyTorch), 0 elsewhere. */
    private static double[] argmaxMask(double[] v, int h, int w, int size, int c) {
        double[] mask = new double[v.length];
        int rowStride = w * size * c;
        int imageSize = h * size * rowStride;
        for (int base = 0; base < v.length; base += imageSize) {
            for (int i = 0; i < h; i++) {
                for (int j = 0; j < w; j++) {
                    for (int ch = 0; ch < c; ch++) {
                        int first = base + i * size * rowStride + j * size * c + ch;
                        int best = first;
                        for (int a = 0; a < size; a++) {
                            for (int b = 0; b < size; b++) {
                                int at = first + a * rowStride + b * c;
                                if (v[at] > v[best]) {
                                    best = at;
                                }
                            }
                        }
                        mask[best] = 1.0;
                    }
                }
            }
        }
        return mask;
    }
}
