package io.ml3spark.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ml3spark.driver.data.JsonRecordFile;
import io.ml3spark.format.Safetensors;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * Who owns a run directory: {@value #FILE}, written first when a run starts. It names the
 * run (a random id that its checkpoints carry too), its experiment and seed, and holds the
 * run's resolved config, against which {@code config.conf} and every checkpoint are checked
 * on resume; {@code trajectory_sha256} is the hash of the config without the keys that a
 * resume may change ({@code RunConfig#trajectorySha256}).
 */
public record RunRecord(String runId, String experiment, long seed, String config, String trajectorySha256,
                        String created) {
    public static final String FILE = "run.json";
    private static final String FORMAT = "ml3-spark-run-v1";
    private static final ObjectMapper JSON = new ObjectMapper();

    public static RunRecord start(String experiment, long seed, String config, String trajectorySha256) {
        return new RunRecord(UUID.randomUUID().toString(), experiment, seed, config, trajectorySha256,
                Instant.now().toString());
    }

    /** The same run with its config changed by a resume's overrides. */
    public RunRecord withConfig(String newConfig, String newTrajectorySha256) {
        return new RunRecord(runId, experiment, seed, newConfig, newTrajectorySha256, created);
    }

    public byte[] encode() {
        ObjectNode n = JSON.createObjectNode();
        n.put("format", FORMAT);
        n.put("run_id", runId);
        n.put("experiment", experiment);
        n.put("seed", seed);
        n.put("created", created);
        n.put("trajectory_sha256", trajectorySha256);
        n.put("config", config);
        return (n.toPrettyString() + "\n").getBytes(StandardCharsets.UTF_8);
    }

    /** Reads and checks {@code bytes}; {@code source} names the file in errors. */
    public static RunRecord decode(byte[] bytes, String source) {
        JsonNode n = JsonRecordFile.read(bytes, source, FORMAT, "run record");
        for (String key : new String[] {"run_id", "experiment", "created", "trajectory_sha256", "config"}) {
            if (!n.path(key).isTextual() || n.path(key).asText().isEmpty()) {
                throw new Safetensors.CorruptFileException(source, "'" + key + "' missing or empty");
            }
        }
        if (!n.path("seed").isIntegralNumber() || !n.path("seed").canConvertToLong()) {
            throw new Safetensors.CorruptFileException(source, "'seed' is not an integer");
        }
        return new RunRecord(n.path("run_id").asText(), n.path("experiment").asText(), n.path("seed").asLong(),
                n.path("config").asText(), n.path("trajectory_sha256").asText(), n.path("created").asText());
    }

    public String describe() {
        return "run " + runId + " (" + experiment + ", seed " + seed + ", started " + created + ")";
    }
}
