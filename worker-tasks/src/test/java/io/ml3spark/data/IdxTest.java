package io.ml3spark.data;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IDX reader: plain and gzip files, the shipped MNIST subset, and each kind of malformed file. */
class IdxTest {
    private static final String SHIPPED_IMAGES = "classpath:data/mnist/mnist-10k-images-idx3-ubyte.gz";
    private static final String SHIPPED_LABELS = "classpath:data/mnist/mnist-10k-labels-idx1-ubyte.gz";

    static byte[] images(int magic, int count, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < pixelBytes; i++) {
            out.writeByte(i * 7);
        }
        return bytes.toByteArray();
    }

    static byte[] labels(int count, int labelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(Idx.LABELS_MAGIC);
        out.writeInt(count);
        for (int i = 0; i < labelBytes; i++) {
            out.writeByte(i % 10);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(plain);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsPlainAndGzipFilesAlike() throws IOException {
        byte[] file = images(Idx.IMAGES_MAGIC, 3, 2, 4, 24);
        Idx.Images plain = Idx.readImages(new ByteArrayInputStream(file), "plain");
        Idx.Images zipped = Idx.readImages(new ByteArrayInputStream(gzip(file)), "gzip");
        assertEquals(3, plain.count());
        assertEquals(2, plain.rows());
        assertEquals(4, plain.cols());
        assertArrayEquals(Arrays.copyOfRange(file, 16, 40), plain.pixels());
        assertArrayEquals(plain.pixels(), zipped.pixels());
        assertArrayEquals(new byte[] {0, 1, 2, 3}, Idx.readLabels(new ByteArrayInputStream(gzip(labels(4, 4))), "l"));
    }

    @Test
    void readsTheShippedMnistSubset() throws IOException {
        LabelledImages mnist = LabelledImages.read(DataOpener.LOCAL, SHIPPED_IMAGES, SHIPPED_LABELS, 10);
        assertEquals(10_000, mnist.count());
        assertEquals(28, mnist.rows());
        assertEquals(28, mnist.cols());
        int[] perClass = {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978};
        for (int c = 0; c < 10; c++) {
            assertEquals(perClass[c], mnist.indicesOf(c).size(), "images of digit " + c);
        }
    }

    @Test
    void wrongMagicNumberIsNamed() {
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(labels(3, 3)), "labels-as-images.idx"));
        assertTrue(e.getMessage().contains("labels-as-images.idx") && e.getMessage().contains("wrong magic number 0x00000801")
                && e.getMessage().contains("expected 0x00000803"), e.getMessage());
        IdxFormatException junk = assertThrows(IdxFormatException.class,
                () -> Idx.readLabels(new ByteArrayInputStream("hello world".getBytes()), "text.txt"));
        assertTrue(junk.getMessage().contains("text.txt: wrong magic number"), junk.getMessage());
    }

    /** Bytes this thread allocated while running {@code body}. */
    private static long allocatedBy(Runnable body) {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadAllocatedBytes();
        body.run();
        return threads.getCurrentThreadAllocatedBytes() - before;
    }

    @Test
    void hugeDeclaredSizesAreRejectedWithoutAllocatingThem() throws IOException {
        byte[] labels = labels(Integer.MAX_VALUE, 92);
        byte[] images = images(Idx.IMAGES_MAGIC, 1_000_000, 28, 28, 84);
        for (boolean gzipped : new boolean[] {false, true}) {
            byte[] l = gzipped ? gzip(labels) : labels;
            byte[] i = gzipped ? gzip(images) : images;
            long bytes = allocatedBy(() -> {
                IdxFormatException e = assertThrows(IdxFormatException.class,
                        () -> Idx.readLabels(new ByteArrayInputStream(l), "huge-labels"));
                assertTrue(e.getMessage().contains("2147483647 labels") && e.getMessage().contains("only 92 bytes follow"),
                        e.getMessage());
                IdxFormatException f = assertThrows(IdxFormatException.class,
                        () -> Idx.readImages(new ByteArrayInputStream(i), "huge-images"));
                assertTrue(f.getMessage().contains("1000000 images of 28x28") && f.getMessage().contains("only 84 bytes"),
                        f.getMessage());
            });
            assertTrue(bytes < 4 << 20, "reading two ~100-byte files allocated " + bytes + " bytes");
        }
    }

    @Test
    void truncatedFilesSayWhatWasDeclaredAndWhatFollows() throws IOException {
        IdxFormatException body = assertThrows(IdxFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(gzip(images(Idx.IMAGES_MAGIC, 3, 2, 4, 20))), "short.gz"));
        assertTrue(body.getMessage().contains("short.gz: truncated") && body.getMessage().contains("3 images of 2x4")
                && body.getMessage().contains("24 bytes") && body.getMessage().contains("only 20 bytes follow"),
                body.getMessage());
        byte[] header = Arrays.copyOf(images(Idx.IMAGES_MAGIC, 3, 2, 4, 0), 10);
        IdxFormatException head = assertThrows(IdxFormatException.class,
                () -> Idx.readImages(new ByteArrayInputStream(header), "header.idx"));
        assertTrue(head.getMessage().contains("header ends before the rows"), head.getMessage());
        IdxFormatException empty = assertThrows(IdxFormatException.class,
                () -> Idx.readLabels(new ByteArrayInputStream(new byte[0]), "empty.idx"));
        assertTrue(empty.getMessage().contains("before its 4-byte magic number"), empty.getMessage());
        IdxFormatException labels = assertThrows(IdxFormatException.class,
                () -> Idx.readLabels(new ByteArrayInputStream(labels(5, 2)), "few-labels.idx"));
        assertTrue(labels.getMessage().contains("5 labels") && labels.getMessage().contains("only 2 bytes"),
                labels.getMessage());
    }

    @Test
    void mismatchedImageAndLabelCountsNameBothFiles(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx.gz");
        Files.write(images, images(Idx.IMAGES_MAGIC, 3, 2, 2, 12));
        Files.write(labels, gzip(labels(4, 4)));
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> LabelledImages.read(DataOpener.LOCAL, images.toString(), labels.toUri().toString(), 10));
        assertTrue(e.getMessage().contains(images + " has 3 images") && e.getMessage().contains("has 4 labels"),
                e.getMessage());
    }

    @Test
    void aLabelOutsideTheClassesNamesTheFileAndTheRecord(@TempDir Path dir) throws IOException {
        Path images = dir.resolve("images.idx");
        Path labels = dir.resolve("labels.idx");
        Files.write(images, images(Idx.IMAGES_MAGIC, 3, 2, 2, 12));
        byte[] l = labels(3, 3);
        l[8 + 1] = 11;
        Files.write(labels, l);
        IdxFormatException e = assertThrows(IdxFormatException.class,
                () -> LabelledImages.read(DataOpener.LOCAL, images.toString(), labels.toString(), 10));
        assertEquals(labels + ": record 1 (counting from 0) has label 11, expected a class 0-9", e.getMessage());
        l[8 + 1] = (byte) 200;
        Files.write(labels, l);
        IdxFormatException high = assertThrows(IdxFormatException.class,
                () -> LabelledImages.read(DataOpener.LOCAL, images.toString(), labels.toString(), 10));
        assertTrue(high.getMessage().contains("has label 200"), high.getMessage());
        assertEquals(3, LabelledImages.read(DataOpener.LOCAL, images.toString(), labels.toString(), 201).count());
    }

    @Test
    void missingFilesAndResourcesAreNamed() {
        FileNotFoundException resource = assertThrows(FileNotFoundException.class,
                () -> DataOpener.LOCAL.open("classpath:data/mnist/nope.gz"));
        assertTrue(resource.getMessage().contains("classpath:data/mnist/nope.gz"), resource.getMessage());
        FileNotFoundException file = assertThrows(FileNotFoundException.class,
                () -> DataOpener.LOCAL.open("/no/such/dir/images.idx"));
        assertTrue(file.getMessage().contains("/no/such/dir/images.idx"), file.getMessage());
    }
}
