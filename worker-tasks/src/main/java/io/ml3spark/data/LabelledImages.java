package io.ml3spark.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Images with one label each, as read from a pair of IDX files: {@code pixels} holds
 * {@code count} images of {@code rows x cols} unsigned bytes, row-major, one after another.
 */
public record LabelledImages(int rows, int cols, byte[] pixels, byte[] labels) implements Serializable {
    public LabelledImages {
        if ((long) labels.length * rows * cols != pixels.length) {
            throw new IllegalArgumentException(labels.length + " labels for " + pixels.length + " pixels of "
                    + rows + "x" + cols + " images");
        }
    }

    /**
     * Reads and pairs an images file and a labels file, opened by {@code opener}; every label
     * must be one of the {@code classes} classes 0..classes-1.
     */
    public static LabelledImages read(DataOpener opener, String imagesPath, String labelsPath, int classes)
            throws IOException {
        Idx.Images images;
        try (InputStream in = opener.open(imagesPath)) {
            images = Idx.readImages(in, imagesPath);
        }
        byte[] labels;
        try (InputStream in = opener.open(labelsPath)) {
            labels = Idx.readLabels(in, labelsPath);
        }
        if (images.count() != labels.length) {
            throw new IdxFormatException("mismatched IDX files: " + imagesPath + " has " + images.count()
                    + " images but " + labelsPath + " has " + labels.length + " labels");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xff) >= classes) {
                throw new IdxFormatException(labelsPath + ": record " + i + " (counting from 0) has label "
                        + (labels[i] & 0xff) + ", expected a class 0-" + (classes - 1));
            }
        }
        return new LabelledImages(images.rows(), images.cols(), images.pixels(), labels);
    }

    public int count() {
        return labels.length;
    }

    public int pixelsPerImage() {
        return rows * cols;
    }

    public int label(int i) {
        return labels[i] & 0xff;
    }

    /** Pixel {@code p} of image {@code i}, 0..255. */
    public int pixel(int i, int p) {
        return pixels[i * rows * cols + p] & 0xff;
    }

    /** The indices of the images labelled {@code label}, in file order. */
    public List<Integer> indicesOf(int label) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            if (label(i) == label) {
                out.add(i);
            }
        }
        return out;
    }

    /** The images at {@code indices}, in that order, as a new set. */
    public LabelledImages subset(int[] indices) {
        int n = rows * cols;
        byte[] p = new byte[indices.length * n];
        byte[] l = new byte[indices.length];
        for (int j = 0; j < indices.length; j++) {
            System.arraycopy(pixels, indices[j] * n, p, j * n, n);
            l[j] = labels[indices[j]];
        }
        return new LabelledImages(rows, cols, p, l);
    }
}
