package io.ml3spark.driver.run;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.sine.SineRegression;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.Safetensors;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files written by someone else (or damaged): each is refused with one message, before anything is allocated. */
class CraftedFilesTest {
    private final SineRegression sine = (SineRegression) RunConfig.load(new File("../conf/sine-regression.conf"),
            List.of()).experiment();

    private LearnedLossFile.Contents sineLoss(double[] phi) {
        return new LearnedLossFile.Contents(sine.learnedLoss(), phi, sine.name(), 0, 10);
    }

    private double[] phi() {
        return sine.initialPhi(JvmBackend.INSTANCE, 0);
    }

    /** A learned-loss file whose checksums are valid but whose metadata is edited by {@code edit}. */
    private byte[] reSealed(byte[] file, String from, String to) {
        Safetensors.Contents c = Safetensors.decode(file, "mem");
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.replaceAll((k, v) -> v.equals(from) ? to : v);
        meta.remove("crc32");
        meta.remove(Safetensors.FILE_CRC);
        return Safetensors.encode(c.tensors(), meta);
    }

    private static String message(Runnable decode) {
        return assertThrows(Safetensors.CorruptFileException.class, decode::run).getMessage();
    }

    @Test
    void hugeArchitectureInTheMetadataIsRefusedBeforeAllocatingIt() {
        byte[] file = reSealed(LearnedLossFile.encode(sineLoss(phi())), "[2,50,50,1]", "[2,30000,30000,1]");
        assertTrue(file.length < 64 << 10, file.length + " bytes");
        String m = message(() -> LearnedLossFile.decode(file, "big.safetensors"));
        assertEquals("corrupt file big.safetensors: tensor '0.weight' has shape [50, 2], the architecture 2-30000-30000-1 needs [30000, 2]", m);
        byte[] overflow = reSealed(LearnedLossFile.encode(sineLoss(phi())), "[2,50,50,1]", "[2,2147483647,2147483647,1]");
        assertTrue(message(() -> LearnedLossFile.decode(overflow, "f")).startsWith("corrupt file f:"));
    }

    @Test
    void shapesWhoseProductOverflowsAreRefused() {
        for (String shape : List.of("[4294967296,4294967296]", "[2147483647,2147483647,4]", "[3000000000]", "[-1]",
                "[1.5]", "\"x\"")) {
            String header = "{\"__metadata__\":{\"crc32\":\"0\"},\"t\":{\"dtype\":\"F64\",\"shape\":" + shape
                    + ",\"data_offsets\":[0,16]}}";
            byte[] data = new byte[16];
            java.util.zip.CRC32 crc = new java.util.zip.CRC32();
            crc.update(data);
            byte[] file = Safetensors.seal(header.replace("\"crc32\":\"0\"", "\"crc32\":\"" + crc.getValue() + "\""), data);
            String m = message(() -> Safetensors.decode(file, "shape.safetensors"));
            assertTrue(m.startsWith("corrupt file shape.safetensors: tensor 't' has"), shape + ": " + m);
        }
    }

    @Test
    void aFlippedHeaderDigitFailsTheFileChecksum() {
        Map<String, Safetensors.Entry> tensors = Map.of("phi", new Safetensors.Entry(new double[] {1, 2}, new int[] {2}));
        byte[] file = Safetensors.encode(tensors, Map.of("iteration", "50"));
        String text = new String(file, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("\"iteration\":\"50\"") + "\"iteration\":\"".length();
        byte[] flipped = file.clone();
        flipped[at] = '4';
        assertTrue(message(() -> Safetensors.decode(flipped, "ck")).contains("file checksum mismatch"));
        assertTrue(Safetensors.decode(file, "ck").wholeFileChecked());
    }

    @Test
    void filesWithTheDataChecksumOnlyStillLoad() {
        byte[] modern = LearnedLossFile.encode(sineLoss(phi()));
        String text = new String(modern, StandardCharsets.ISO_8859_1);
        int at = text.indexOf(",\"" + Safetensors.FILE_CRC + "\"");
        int end = text.indexOf('"', at + Safetensors.FILE_CRC.length() + 5) + 1;
        long headerLength = java.nio.ByteBuffer.wrap(modern, 0, 8).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
        String header = text.substring(8, (int) (8 + headerLength)).trim();
        String legacyHeader = header.substring(0, at - 8) + header.substring(end - 8);
        byte[] legacy = Safetensors.seal(legacyHeader, Arrays.copyOfRange(modern, (int) (8 + headerLength), modern.length));
        Safetensors.Contents c = Safetensors.decode(legacy, "old");
        assertFalse(c.wholeFileChecked());
        assertArrayEquals(phi(), LearnedLossFile.decode(legacy, "old").phi());
    }

    @Test
    void aLearnedLossWithNonFiniteParametersIsRefused() {
        double[] phi = phi();
        phi[7] = Double.NaN;
        phi[9] = Double.POSITIVE_INFINITY;
        String m = message(() -> LearnedLossFile.decode(LearnedLossFile.encode(sineLoss(phi)), "nan.safetensors"));
        assertTrue(m.equals("corrupt file nan.safetensors: 2 of its " + phi.length
                + " parameters are not finite (NaN or infinite)"), m);
    }
}
