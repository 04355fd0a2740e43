package io.ml3spark.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The PyTorch side of the sine comparison: {@code python/torch_sine_bench.py} (packaged in this
 * jar beside this class), the same meta-gradient batched with {@code torch.func} in float32, run
 * on one thread in a python3 that has torch.
 */
public final class TorchSineBenchmark {
    static final String SCRIPT = "torch_sine_bench.py";
    private static Path extracted;

    private TorchSineBenchmark() {
    }

    /** What one run measured: torch's version and BLAS as the script reports them, and tasks/s per batch size. */
    public record Measured(String torch, String blas, Map<Integer, Double> tasksPerSecond) {
    }

    public static Measured run(String python, List<Integer> batches, double seconds) throws IOException {
        List<String> command = List.of(python, script().toString(), "--batches",
                batches.stream().map(String::valueOf).collect(Collectors.joining(",")),
                "--seconds", String.valueOf(seconds), "--threads", "1");
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(120 + (long) (batches.size() * seconds * 3), TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(python + " " + SCRIPT + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + SCRIPT, e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(python + " " + SCRIPT + " exited with " + p.exitValue() + ": " + lastLine(out));
        }
        return parse(out, batches);
    }

    static Measured parse(String out, List<Integer> batches) throws IOException {
        ObjectMapper json = new ObjectMapper();
        String torch = null;
        String blas = "";
        Map<Integer, Double> rows = new LinkedHashMap<>();
        for (String line : out.lines().filter(l -> l.startsWith("{")).toList()) {
            JsonNode n = json.readTree(line);
            if (n.has("torch")) {
                torch = n.get("torch").asText();
                List<String> libs = new ArrayList<>();
                n.path("blas").forEach(l -> libs.add(l.asText().replaceAll(".*/", "")));
                blas = String.join(", ", libs);
            } else if (n.has("B") && n.has("tasks_per_s")) {
                rows.put(n.get("B").asInt(), n.get("tasks_per_s").asDouble());
            }
        }
        if (torch == null || !rows.keySet().containsAll(batches)) {
            throw new IOException(SCRIPT + " printed no result for every batch size " + batches + ": " + lastLine(out));
        }
        return new Measured(torch, blas, rows);
    }

    private static String lastLine(String out) {
        List<String> lines = out.strip().lines().toList();
        return lines.isEmpty() ? "(no output)" : lines.get(lines.size() - 1);
    }

    /** The script, copied once per JVM out of the jar into a temporary file, since python3 cannot run it from inside the jar. */
    static synchronized Path script() throws IOException {
        if (extracted == null) {
            try (InputStream in = TorchSineBenchmark.class.getResourceAsStream(SCRIPT)) {
                if (in == null) {
                    throw new IOException(SCRIPT + " is missing from the class path (build with mvn package)");
                }
                Path file = Files.createTempFile("ml3-" + SCRIPT.replace(".py", "-"), ".py");
                file.toFile().deleteOnExit();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                extracted = file;
            }
        }
        return extracted;
    }
}
