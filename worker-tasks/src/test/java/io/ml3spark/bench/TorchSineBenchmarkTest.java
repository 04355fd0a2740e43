package io.ml3spark.bench;

import io.ml3spark.autodiff.Tensor;
import io.ml3spark.experiments.sine.SineTaskFamily;
import io.ml3spark.experiments.sine.SineTaskFamily.Range;
import io.ml3spark.ml3.MetaObjective;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.nn.Init;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.JvmBackend;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/**
 * {@code python/torch_sine_bench.py} times the computation the engine's benchmark times: its
 * batched torch.func meta-gradient, in float64, equals the engine's for the same task, phi and
 * theta; and its output is read strictly.
 */
class TorchSineBenchmarkTest {
    private static final Backend B = JvmBackend.INSTANCE;

    @TempDir
    Path dir;

    @Test
    void theTorchScriptComputesTheEnginesMetaGradient() throws Exception {
        List<String> pythons = Pythons.withModules("torch");
        assumeFalse(pythons.isEmpty(), "no python3 with torch here (apt-get install python3-torch)");
        MetaObjective objective = SineMetaGradientBenchmark.objective();
        SineTaskFamily family = new SineTaskFamily(new Range(0.5, 2), new Range(0, Math.PI), Range.fixed(1.0),
                new Range(-2.0, 2.0), SineMetaGradientBenchmark.POINTS);
        double[] phi = objective.learnedLoss().initialPhi(B, new SplittableRandom(4), Init.XAVIER_UNIFORM, 0.0);
        long[] seeds = {Seeds.derive(2, 3, 0)};
        TaskBatch task = family.sample(B, seeds);
        List<Tensor> theta = objective.optimizee().initialize(B, seeds);
        for (int i = 1; i < theta.size(); i += 2) {
            // non-zero biases, so that the check covers their gradients' paths too
            double[] bias = theta.get(i).toArray();
            for (int j = 0; j < bias.length; j++) {
                bias[j] = 0.1 * Math.sin(3 * j + i);
            }
            theta.set(i, Tensor.variable(B, bias, theta.get(i).shape().dims()));
        }
        double[] expected = objective.metaGradient(B, phi, task, theta).gradientSum();

        List<String> phiJson = new ArrayList<>();
        int at = 0;
        for (int l = 0; l + 1 < SineMetaGradientBenchmark.LEARNED_LOSS.length; l++) {
            int rows = SineMetaGradientBenchmark.LEARNED_LOSS[l];
            int cols = SineMetaGradientBenchmark.LEARNED_LOSS[l + 1];
            phiJson.add(matrix(java.util.Arrays.copyOfRange(phi, at, at + rows * cols), rows, cols));
            at += rows * cols;
        }
        assertEquals(phi.length, at);
        List<String> thetaJson = new ArrayList<>();
        for (Tensor t : theta) {
            thetaJson.add(matrix(t.toArray(), t.shape().dim(-2), t.shape().dim(-1)));
        }
        Path input = dir.resolve("task.json");
        Files.writeString(input, "{\"phi\": [" + String.join(", ", phiJson) + "], \"theta\": [" + String.join(", ", thetaJson)
                + "], \"x\": " + matrix(task.inputs().toArray(), SineMetaGradientBenchmark.POINTS, 1)
                + ", \"y\": " + matrix(task.targets().toArray(), SineMetaGradientBenchmark.POINTS, 1) + "}");

        for (String python : pythons) {
            Process p = new ProcessBuilder(python, TorchSineBenchmark.script().toString(), "--check", input.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), python + " did not finish");
            assertEquals(0, p.exitValue(), python + ":\n" + out);
            JsonNode g = new ObjectMapper().readTree(out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow())
                    .get("meta_gradient");
            assertEquals(expected.length, g.size(), python);
            double norm = 0;
            double diff = 0;
            for (int i = 0; i < expected.length; i++) {
                norm += expected[i] * expected[i];
                diff += (g.get(i).asDouble() - expected[i]) * (g.get(i).asDouble() - expected[i]);
            }
            assertTrue(norm > 0, "a non-zero meta-gradient");
            assertTrue(Math.sqrt(diff / norm) < 1e-10, python + ": relative difference " + Math.sqrt(diff / norm));
        }
    }

    @Test
    void outputWithoutEveryBatchSizeIsRefused() throws IOException {
        String out = "{\"torch\": \"1.13.0\", \"threads\": 1, \"dtype\": \"float32\", \"blas\": [\"/usr/lib/libopenblas.so.0\"]}\n"
                + "{\"B\": 1, \"ms_per_batch\": 2.0, \"tasks_per_s\": 500.0}\n";
        TorchSineBenchmark.Measured m = TorchSineBenchmark.parse(out, List.of(1));
        assertEquals("1.13.0", m.torch());
        assertEquals("libopenblas.so.0", m.blas());
        assertEquals(500.0, m.tasksPerSecond().get(1));
        IOException e = assertThrows(IOException.class, () -> TorchSineBenchmark.parse(out, List.of(1, 16)));
        assertTrue(e.getMessage().contains("no result for every batch size [1, 16]"), e.getMessage());
        assertThrows(IOException.class, () -> TorchSineBenchmark.parse("Traceback: ImportError\n", List.of(1)));
    }

    @Test
    void mediansOfOddAndEvenCounts() {
        assertEquals(2.0, SineComparison.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, SineComparison.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }

    private static String matrix(double[] v, int rows, int cols) {
        List<String> out = new ArrayList<>();
        for (int r = 0; r < rows; r++) {
            List<String> row = new ArrayList<>();
            for (int c = 0; c < cols; c++) {
                row.add(Double.toString(v[r * cols + c]));
            }
            out.add("[" + String.join(", ", row) + "]");
        }
        return "[" + String.join(", ", out) + "]";
    }
}
