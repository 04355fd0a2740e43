package io.ml3spark.driver.table;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ml3spark.experiments.table.FeatureScaling;
import io.ml3spark.driver.data.JsonRecordFile;
import io.ml3spark.format.Safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a table run records of its table ({@value #FILE} in the run directory): where it was
 * read, its order-free fingerprint and counts, the feature columns, and the feature scaling of
 * its meta-train tasks, so that a resume can refuse a changed table and a user of the learned
 * loss can standardise features the same way.
 */
public record TableRecord(String path, String fingerprint, long tasks, long metaTrainTasks, long rows,
                          List<String> features, FeatureScaling scaling) {
    public static final String FILE = "table.json";
    private static final String FORMAT = "ml3-spark-table-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public TableRecord {
        features = List.copyOf(features);
    }

    public static TableRecord of(TaskTable table, String path) {
        return new TableRecord(path, table.fingerprint(), table.taskCount(), table.metaTrainTasks(), table.rowCount(),
                table.features(), table.scaling());
    }

    /**
     * What a learned loss of this table's run records of it (learned-loss metadata): the
     * fingerprint, and the features with their mean and standard deviation as JSON lists, so a
     * user of the loss can standardise features as its meta-training did.
     */
    public java.util.Map<String, String> asLossMetadata() {
        ArrayNode names = JSON.createArrayNode();
        ArrayNode mean = JSON.createArrayNode();
        ArrayNode std = JSON.createArrayNode();
        for (int i = 0; i < features.size(); i++) {
            names.add(features.get(i));
            mean.add(scaling.mean()[i]);
            std.add(scaling.std()[i]);
        }
        return java.util.Map.of("data.table.fingerprint", fingerprint, "data.table.features", names.toString(),
                "data.table.mean", mean.toString(), "data.table.std", std.toString());
    }

    public byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("path", path);
        n.put("fingerprint", fingerprint);
        n.put("tasks", tasks);
        n.put("meta_train_tasks", metaTrainTasks);
        n.put("rows", rows);
        ArrayNode f = n.putArray("features");
        features.forEach(f::add);
        ArrayNode mean = n.putArray("mean");
        ArrayNode std = n.putArray("std");
        for (int i = 0; i < features.size(); i++) {
            mean.add(scaling.mean()[i]);
            std.add(scaling.std()[i]);
        }
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n).concat("\n").getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The record in {@code bytes}, every field checked; a {@link Safetensors.CorruptFileException} naming {@code source} if one is wrong. */
    public static TableRecord decode(byte[] bytes, String source) {
        JsonNode n = JsonRecordFile.read(bytes, source, FORMAT, "table record");
        if (!n.path("path").isTextual() || !n.path("fingerprint").asText().matches("[0-9a-f]{32}")) {
            throw new Safetensors.CorruptFileException(source, "'path' or 'fingerprint' missing or malformed");
        }
        for (String key : new String[] {"tasks", "meta_train_tasks", "rows"}) {
            if (!n.path(key).isIntegralNumber() || n.path(key).asLong() < 0) {
                throw new Safetensors.CorruptFileException(source, "'" + key + "' is not a count");
            }
        }
        JsonNode f = n.path("features");
        JsonNode mean = n.path("mean");
        JsonNode std = n.path("std");
        if (!f.isArray() || f.isEmpty() || !mean.isArray() || !std.isArray() || mean.size() != f.size()
                || std.size() != f.size()) {
            throw new Safetensors.CorruptFileException(source, "'features', 'mean' and 'std' are not lists of one length");
        }
        List<String> features = new ArrayList<>();
        double[] m = new double[f.size()];
        double[] s = new double[f.size()];
        for (int i = 0; i < m.length; i++) {
            if (!f.get(i).isTextual() || !mean.get(i).isNumber() || !std.get(i).isNumber()
                    || !Double.isFinite(mean.get(i).asDouble()) || !(std.get(i).asDouble() > 0)
                    || !Double.isFinite(std.get(i).asDouble())) {
                throw new Safetensors.CorruptFileException(source, "feature " + i + " has no name, a non-finite mean or"
                        + " a standard deviation that is not positive and finite");
            }
            features.add(f.get(i).asText());
            m[i] = mean.get(i).asDouble();
            s[i] = std.get(i).asDouble();
        }
        return new TableRecord(n.path("path").asText(), n.path("fingerprint").asText(), n.path("tasks").asLong(),
                n.path("meta_train_tasks").asLong(), n.path("rows").asLong(), features, new FeatureScaling(m, s));
    }
}
