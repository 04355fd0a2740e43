package io.ml3spark.driver.run;

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
 * the raw little-endian values. A CRC-32 of the data section is kept in the metadata
 * ({@code crc32}) and checked on reading, so truncation and bit rot are detected.
 */
public final class Safetensors {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CRC = "crc32";

    /** A tensor's flat values and shape. */
    public record Entry(double[] values, int[] shape) {
    }

    /** Decoded contents: tensors in file order, and the metadata strings. */
    public record Contents(Map<String, Entry> tensors, Map<String, String> metadata) {
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
        int count = 0;
        for (Entry e : tensors.values()) {
            count += e.values().length;
        }
        ByteBuffer data = ByteBuffer.allocate(count * 8).order(ByteOrder.LITTLE_ENDIAN);
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
        meta.put(CRC, Long.toString(crc.getValue()));
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (json.length + 7) / 8 * 8;
        ByteBuffer out = ByteBuffer.allocate(8 + padded + data.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded);
        out.put(json);
        for (int i = json.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        out.put(data.array());
        return out.array();
    }

    /** Decodes and validates; {@code source} names the file in errors. */
    public static Contents decode(byte[] bytes, String source) {
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
        int dataStart = 8 + (int) headerLength;
        Map<String, String> metadata = new LinkedHashMap<>();
        header.path("__metadata__").fields().forEachRemaining(e -> metadata.put(e.getKey(), e.getValue().asText()));
        CRC32 crc = new CRC32();
        crc.update(bytes, dataStart, bytes.length - dataStart);
        if (!Long.toString(crc.getValue()).equals(metadata.get(CRC))) {
            throw new CorruptFileException(source, "data checksum mismatch (CRC-32 " + crc.getValue()
                    + ", header says " + metadata.get(CRC) + ")");
        }
        Map<String, Entry> tensors = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = header.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            tensors.put(f.getKey(), entry(f.getKey(), f.getValue(), bytes, dataStart, source));
        }
        return new Contents(tensors, metadata);
    }

    private static Entry entry(String name, JsonNode t, byte[] bytes, int dataStart, String source) {
        int[] shape = new int[t.path("shape").size()];
        long size = 1;
        for (int i = 0; i < shape.length; i++) {
            shape[i] = t.path("shape").path(i).asInt(-1);
            if (shape[i] < 0) {
                throw new CorruptFileException(source, "tensor '" + name + "' has shape " + t.path("shape"));
            }
            size *= shape[i];
        }
        long begin = t.path("data_offsets").path(0).asLong(-1);
        long end = t.path("data_offsets").path(1).asLong(-1);
        if (!"F64".equals(t.path("dtype").asText()) || begin < 0 || end - begin != size * 8
                || dataStart + end > bytes.length) {
            throw new CorruptFileException(source, "tensor '" + name + "' has dtype " + t.path("dtype") + ", range ["
                    + begin + ", " + end + "), expected F64 of shape " + t.path("shape") + " inside the "
                    + (bytes.length - dataStart) + " data bytes");
        }
        double[] values = new double[(int) size];
        ByteBuffer b = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (size * 8)).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < values.length; i++) {
            values[i] = b.getDouble();
        }
        return new Entry(values, shape);
    }

    /** A file that cannot be decoded; the message names the file and the defect. */
    public static final class CorruptFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        public CorruptFileException(String source, String what) {
            super("corrupt file " + source + ": " + what);
        }
    }
}
