package io.ml3spark.driver.run;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Shape;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;

/**
 * A learned loss saved as safetensors: an 8-byte little-endian header length, a JSON
 * header naming each tensor's dtype (F64), shape and byte range, then the raw
 * little-endian values. The header's {@code __metadata__} holds the architecture (so the
 * file alone rebuilds the network), a CRC-32 of the data, and provenance.
 */
public final class LearnedLossFile {
    public static final String FORMAT = "ml3-spark-learned-loss-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A learned loss with its parameters and the provenance recorded beside them. */
    public record Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations) {
    }

    private LearnedLossFile() {
    }

    public static byte[] encode(Contents c) {
        Mlp net = c.loss().network();
        List<Shape> shapes = net.parameterShapes();
        ObjectNode header = JSON.createObjectNode();
        ObjectNode meta = header.putObject("__metadata__");
        meta.put("format", FORMAT);
        meta.put("layers", JSON.valueToTree(net.sizes()).toString());
        meta.put("activation", net.hidden().name().toLowerCase(Locale.ROOT));
        meta.put("output", net.output().name().toLowerCase(Locale.ROOT));
        meta.put("bias", Boolean.toString(net.hasBias()));
        meta.put("input", c.loss().input().name().toLowerCase(Locale.ROOT));
        meta.put("experiment", c.experiment());
        meta.put("seed", Long.toString(c.seed()));
        meta.put("iterations", Integer.toString(c.iterations()));
        ByteBuffer data = ByteBuffer.allocate(c.phi().length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : c.phi()) {
            data.putDouble(v);
        }
        CRC32 crc = new CRC32();
        crc.update(data.array());
        meta.put("crc32", Long.toString(crc.getValue()));
        long offset = 0;
        for (int i = 0; i < shapes.size(); i++) {
            ObjectNode t = header.putObject(tensorName(net, i));
            t.put("dtype", "F64");
            ArrayNode shape = t.putArray("shape");
            for (int d : shapes.get(i).dims()) {
                shape.add(d);
            }
            ArrayNode range = t.putArray("data_offsets");
            range.add(offset);
            offset += shapes.get(i).size() * 8L;
            range.add(offset);
        }
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

    private static String tensorName(Mlp net, int index) {
        int layer = net.hasBias() ? index / 2 : index;
        boolean bias = net.hasBias() && index % 2 == 1;
        return "layers." + layer + (bias ? ".bias" : ".weight");
    }

    /** Decodes and validates a file; {@code source} names it in errors. */
    public static Contents decode(byte[] bytes, String source) {
        try {
            if (bytes.length < 8) {
                throw corrupt(source, "shorter than the 8-byte header length");
            }
            ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            long headerLength = buf.getLong();
            if (headerLength <= 0 || headerLength > bytes.length - 8) {
                throw corrupt(source, "header length " + headerLength + " does not fit in " + bytes.length + " bytes");
            }
            JsonNode header = JSON.readTree(new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8));
            JsonNode meta = header.path("__metadata__");
            if (!FORMAT.equals(meta.path("format").asText())) {
                throw corrupt(source, "not a learned-loss file (metadata format is '" + meta.path("format").asText()
                        + "', expected '" + FORMAT + "')");
            }
            int[] layers = JSON.readValue(meta.path("layers").asText(), int[].class);
            Mlp net = new Mlp(layers, Activation.parse(meta.path("activation").asText()),
                    Activation.parse(meta.path("output").asText()), Boolean.parseBoolean(meta.path("bias").asText()));
            LearnedLoss loss = new LearnedLoss(net, LossInput.valueOf(meta.path("input").asText().toUpperCase(Locale.ROOT)));
            int dataStart = 8 + (int) headerLength;
            List<Shape> shapes = net.parameterShapes();
            double[] phi = new double[loss.layout().size()];
            int filled = 0;
            for (int i = 0; i < shapes.size(); i++) {
                String name = tensorName(net, i);
                JsonNode t = header.path(name);
                if (t.isMissingNode()) {
                    throw corrupt(source, "tensor '" + name + "' missing");
                }
                long begin = t.path("data_offsets").path(0).asLong(-1);
                long end = t.path("data_offsets").path(1).asLong(-1);
                long expected = shapes.get(i).size() * 8L;
                if (!"F64".equals(t.path("dtype").asText()) || end - begin != expected || begin < 0
                        || dataStart + end > bytes.length) {
                    throw corrupt(source, "tensor '" + name + "' has dtype " + t.path("dtype") + ", range [" + begin + ", "
                            + end + "), expected F64 of " + shapes.get(i) + " inside the " + (bytes.length - dataStart)
                            + " data bytes");
                }
                ByteBuffer values = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) expected).order(ByteOrder.LITTLE_ENDIAN);
                for (int j = 0; j < shapes.get(i).size(); j++) {
                    phi[filled++] = values.getDouble();
                }
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, dataStart, bytes.length - dataStart);
            if (!Long.toString(crc.getValue()).equals(meta.path("crc32").asText())) {
                throw corrupt(source, "data checksum mismatch (CRC-32 " + crc.getValue() + ", header says "
                        + meta.path("crc32").asText() + ")");
            }
            return new Contents(loss, phi, meta.path("experiment").asText(), meta.path("seed").asLong(),
                    meta.path("iterations").asInt());
        } catch (JsonProcessingException e) {
            throw corrupt(source, "unreadable JSON header: " + e.getOriginalMessage());
        } catch (IllegalArgumentException e) {
            if (e instanceof CorruptFileException) {
                throw e;
            }
            throw corrupt(source, e.getMessage());
        }
    }

    private static CorruptFileException corrupt(String source, String what) {
        return new CorruptFileException("corrupt learned-loss file " + source + ": " + what);
    }

    /** A learned-loss file that cannot be decoded; the message names the file and the defect. */
    public static final class CorruptFileException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        CorruptFileException(String message) {
            super(message);
        }
    }
}
