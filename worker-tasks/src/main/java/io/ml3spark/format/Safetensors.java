package io.ml3spark.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * The safetensors container for float64 tensors: an 8-byte little-endian header length, a
 * JSON header with each tensor's dtype, shape and byte range plus string metadata, then
 * the raw little-endian values.
 *
 * <p>Two checksums sit in the metadata. {@code file-crc32} is the CRC-32 of the whole file
 * with its own ten digits read as zeros, so a flipped byte anywhere (a header digit
 * included) is caught. {@code crc32} is the CRC-32 of the data section alone, the only one
 * that files written before {@code file-crc32} existed carry; such files still load, and
 * {@link Contents#wholeFileChecked()} says which kind was read.
 *
 * <p>Decoding checks every declared size against the bytes actually present, with
 * overflow-safe arithmetic, before allocating anything: a file never makes the process
 * allocate more than a small multiple of its own length.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DATA_CRC = "crc32";
    /** The metadata key of the CRC-32 of the whole file (with its own digits as zeros). */
    public static final String FILE_CRC = "file-crc32";
    private static final String FILE_CRC_PLACEHOLDER = "0000000000";
    private static final byte[] FILE_CRC_FIELD = ("\"" + FILE_CRC + "\":\"").getBytes(StandardCharsets.US_ASCII);

    /** A tensor's flat values and shape. */
    public record Entry(double[] values, int[] shape) {
    }

    /** Decoded contents: tensors in file order, the metadata strings, and whether the whole file was checksummed. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata, boolean wholeFileChecked) {
        public Entry tensor(String name, String source) {
            Entry e = tensors.get(name);
            if (e == null) {
                throw new CorruptFileException(source, "tensor '" + name + "' missing");
            }
            return e;
        }
    }

    private Safetensors() {
    }

    public static byte[] encode(Map<String, Entry> tensors, Map<String, String> metadata) {
        long count = 0;
        for (Entry e : tensors.values()) {
            count += e.values().length;
        }
        ByteBuffer data = ByteBuffer.allocate(Math.toIntExact(count * 8)).order(ByteOrder.LITTLE_ENDIAN);
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        metadata.forEach(meta::put);
        long offset = 0;
        for (Map.Entry<String, Entry> e : tensors.entrySet()) {
            ObjectNode t = header.putObject(e.getKey());
            t.put("dtype", "F64");
            ArrayNode shape = t.putArray("shape");
            long size = 1;
            for (int d : e.getValue().shape()) {
                shape.add(d);
                size *= d;
            }
            if (size != e.getValue().values().length) {
                throw new IllegalArgumentException("tensor " + e.getKey() + " has " + e.getValue().values().length
                        + " values for shape of size " + size);
            }
            ArrayNode range = t.putArray("data_offsets");
            range.add(offset);
            offset += size * 8;
            range.add(offset);
            for (double v : e.getValue().values()) {
                data.putDouble(v);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(data.array());
        meta.put(DATA_CRC, Long.toString(crc.getValue()));
        meta.put(FILE_CRC, FILE_CRC_PLACEHOLDER);
        return seal(header.toString(), data.array());
    }

    /**
     * The file for a JSON header and its data: the header padded to 8 bytes, and the
     * {@code file-crc32} placeholder, if the header has one, replaced by the file's CRC-32.
     */
    public static byte[] seal(String headerJson, byte[] data) {
        byte[] json = headerJson.getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.length).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(data);
        byte[] bytes = out.array();
        int at = fileCrcDigits(bytes, 8 + padded);
        if (at >= 0) {
            byte[] digits = String.format("%010d", fileCrc(bytes, at)).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(digits, 0, bytes, at, digits.length);
        }
        return bytes;
    }

    /** Where the ten digits of the {@code file-crc32} value start in the header; -1 if absent or not exactly once. */
    private static int fileCrcDigits(byte[] bytes, int headerEnd) {
        int found = -1;
        for (int i = 8; i + FILE_CRC_FIELD.length + 10 <= headerEnd; i++) {
            if (matchesAt(bytes, i, FILE_CRC_FIELD)) {
                if (found >= 0) {
                    return -1;
                }
                found = i + FILE_CRC_FIELD.length;
            }
        }
        return found;
    }

    private static boolean matchesAt(byte[] bytes, int at, byte[] pattern) {
        for (int j = 0; j < pattern.length; j++) {
            if (bytes[at + j] != pattern[j]) {
                return false;
            }
        }
        return true;
    }

    /** CRC-32 of {@code bytes} with the ten digits at {@code digitsAt} read as '0'. */
    private static long fileCrc(byte[] bytes, int digitsAt) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, digitsAt);
        crc.update(FILE_CRC_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII));
        crc.update(bytes, digitsAt + 10, bytes.length - digitsAt - 10);
        return crc.getValue();
    }

    /** Decodes and validates one of this project's files (checksums required, F64 only); {@code source} names it in errors. */
    public static Contents decode(byte[] bytes, String source) {
        return decode(bytes, source, false);
    }

    /**
     * Decodes a safetensors file written elsewhere (a PyTorch state_dict): checksums are checked
     * where present, and F32 tensors are read too (widened to double). Every range is still
     * checked against the bytes present before anything is allocated.
     */
    public static Contents decodeForeign(byte[] bytes, String source) {
        return decode(bytes, source, true);
    }

    private static Contents decode(byte[] bytes, String source, boolean foreign) {
        if (bytes.length < 8) {
            throw new CorruptFileException(source, "shorter than the 8-byte header length");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong();
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new CorruptFileException(source, "header length " + headerLength + " does not fit in "
                    + bytes.length + " bytes");
        }
        JsonNode header;
        try {
            header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new CorruptFileException(source, "unreadable JSON header: " + e.getOriginalMessage());
        }
        if (header == null || !header.isObject()) {
            throw new CorruptFileException(source, "the header is not a JSON object");
        }
        int dataStart = 8 + (int) headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        header.path("__metadata__").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        boolean wholeFile = metadata.containsKey(FILE_CRC);
        if (wholeFile) {
            verifyFileCrc(bytes, dataStart, metadata.get(FILE_CRC), source);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, dataStart, bytes.length - dataStart);
        if ((!foreign || metadata.containsKey(DATA_CRC)) && !Long.toString(crc.getValue()).equals(metadata.get(DATA_CRC))) {
            throw new CorruptFileException(source, "data checksum mismatch (CRC-32 " + crc.getValue()
                    + ", header says " + metadata.get(DATA_CRC) + ")");
        }
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(f.getKey(), entry(f.getKey(), f.getValue(), bytes, dataStart, source, foreign));
        }
        return new Contents(tensors, metadata, wholeFile);
    }

    private static void verifyFileCrc(byte[] bytes, int dataStart, String declared, String source) {
        int at = fileCrcDigits(bytes, dataStart);
        if (at < 0) {
            throw new CorruptFileException(source, "the " + FILE_CRC + " field is not written as one 10-digit string");
        }
        String actual = String.format("%010d", fileCrc(bytes, at));
        if (!actual.equals(declared)) {
            throw new CorruptFileException(source, "file checksum mismatch (CRC-32 " + actual + ", header says "
                    + declared + "): the file was changed or damaged after it was written");
        }
    }

    private static Entry entry(String name, JsonNode t, byte[] bytes, int dataStart, String source, boolean foreign) {
        JsonNode shapeNode = t.path("shape");
        if (!shapeNode.isArray()) {
            throw new CorruptFileException(source, "tensor '" + name + "' has no shape list");
        }
        int[] shape = new int[shapeNode.size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.path(i);
            if (!d.canConvertToInt() || !d.isIntegralNumber() || d.asInt() < 0) {
                throw new CorruptFileException(source, "tensor '" + name + "' has shape " + shapeNode
                        + " (dimensions must be integers in [0, 2^31))");
            }
            shape[i] = d.asInt();
            size = multiplyOrMinusOne(size, shape[i]);
        }
        long dataBytes = bytes.length - dataStart;
        JsonNode range = t.path("data_offsets");
        long begin = range.path(0).canConvertToLong() ? range.path(0).asLong() : -1;
        long end = range.path(1).canConvertToLong() ? range.path(1).asLong() : -1;
        String dtype = t.path("dtype").asText();
        boolean f32 = foreign && "F32".equals(dtype);
        long declaredBytes = multiplyOrMinusOne(size, f32 ? 4 : 8);
        if (!("F64".equals(dtype) || f32) || size < 0 || declaredBytes < 0 || begin < 0 || end < begin
                || end > dataBytes || end - begin != declaredBytes) {
            throw new CorruptFileException(source, "tensor '" + name + "' has dtype " + t.path("dtype") + ", range ["
                    + begin + ", " + end + "), expected " + (foreign ? "F32 or F64" : "F64") + " of shape " + shapeNode
                    + " inside the " + dataBytes + " data bytes");
        }
        double[] values = new double[(int) size];
        ByteBuffer b = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) declaredBytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            values[i] = f32 ? b.getFloat() : b.getDouble();
        }
        return new Entry(values, shape);
    }

    /** {@code a * b} for non-negative operands, or -1 where the product overflows a long. */
    private static long multiplyOrMinusOne(long a, long b) {
        if (a < 0) {
            return -1;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return -1;
        }
    }

    /** A file that cannot be decoded; the message names the file and the defect. */
    public static final class CorruptFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public CorruptFileException(String source, String what) {
            super("corrupt file " + source + ": " + what);
        }
    }
}
