package io.ml3spark.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Reads the IDX files of MNIST (and Fashion-MNIST): a big-endian magic number
 * ({@value #IMAGES_MAGIC} for unsigned-byte images, {@value #LABELS_MAGIC} for labels),
 * the dimensions, then one unsigned byte per value. Gzip-compressed files are recognised by
 * their own magic bytes and decompressed on the fly, so the 10k subset shipped with the
 * project and the full files on any file system read the same way. The caller opens the
 * stream (a classpath resource, a local file, a Hadoop {@code FSDataInputStream}); it is
 * read to the end of the declared data but not closed.
 */
public final class Idx {
    public static final int IMAGES_MAGIC = 0x00000803;
    public static final int LABELS_MAGIC = 0x00000801;

    private Idx() {
    }

    /** Images as {@code count} rows-by-cols arrays of unsigned bytes. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
    }

    public static Images readImages(InputStream in, String source) throws IOException {
        DataInputStream data = open(in, source, IMAGES_MAGIC, "images");
        int count = dimension(data, source, "image count");
        int rows = dimension(data, source, "rows");
        int cols = dimension(data, source, "columns");
        long size = (long) count * rows * cols;
        if (size > Integer.MAX_VALUE - 8) {
            throw new IdxFormatException(source + ": " + count + " images of " + rows + "x" + cols
                    + " do not fit in one array");
        }
        byte[] pixels = body(data, source, (int) size, count + " images of " + rows + "x" + cols);
        return new Images(count, rows, cols, pixels);
    }

    /** Labels, one unsigned byte each. */
    public static byte[] readLabels(InputStream in, String source) throws IOException {
        DataInputStream data = open(in, source, LABELS_MAGIC, "labels");
        int count = dimension(data, source, "label count");
        return body(data, source, count, count + " labels");
    }

    private static DataInputStream open(InputStream raw, String source, int magic, String what) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        InputStream plain = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in, 1 << 16) : in;
        DataInputStream data = new DataInputStream(plain);
        int found;
        try {
            found = data.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(source + ": truncated, the file ends before its 4-byte magic number");
        }
        if (found != magic) {
            throw new IdxFormatException(String.format("%s: wrong magic number 0x%08x, expected 0x%08x (%d) for IDX %s",
                    source, found, magic, magic, what));
        }
        return data;
    }

    private static int dimension(DataInputStream data, String source, String name) throws IOException {
        int d;
        try {
            d = data.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(source + ": truncated, the header ends before the " + name);
        }
        if (d < 0) {
            throw new IdxFormatException(source + ": negative " + name + " " + d + " in the header");
        }
        return d;
    }

    private static byte[] body(DataInputStream data, String source, int size, String declared) throws IOException {
        // readNBytes(int) grows its buffer as bytes arrive, so a header that declares more than
        // the file holds costs no more memory than the file itself.
        byte[] values = data.readNBytes(size);
        int read = values.length;
        if (read < size) {
            throw new IdxFormatException(source + ": truncated, the header declares " + declared + " (" + size
                    + " bytes of data) but only " + read + " bytes follow");
        }
        return values;
    }
}
