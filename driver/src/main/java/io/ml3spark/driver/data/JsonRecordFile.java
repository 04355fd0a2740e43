package io.ml3spark.driver.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.format.Safetensors;

import java.io.IOException;

/** A small JSON file that ml3-spark writes beside a run (run.json, table.json), opened and checked for its format. */
public final class JsonRecordFile {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonRecordFile() {
    }

    /**
     * The JSON object in {@code bytes} whose {@code format} is {@code format}; else a
     * {@link Safetensors.CorruptFileException} naming {@code source} and what it should have been ({@code kind}).
     */
    public static JsonNode read(byte[] bytes, String source, String format, String kind) {
        JsonNode n;
        try {
            n = JSON.readTree(bytes);
        } catch (IOException e) {
            throw new Safetensors.CorruptFileException(source, "unreadable JSON");
        }
        if (n == null || !format.equals(n.path("format").asText())) {
            throw new Safetensors.CorruptFileException(source, "not a " + kind + " (format is not '" + format + "')");
        }
        return n;
    }
}
