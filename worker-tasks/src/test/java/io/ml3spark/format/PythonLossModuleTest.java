package io.ml3spark.format;

import io.ml3spark.autodiff.Autograd;
import io.ml3spark.autodiff.Tensor;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.ml3.TaskBatch;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code python/ml3_loss.py} computes exactly what the Java engine computes: this test writes
 * learned-loss files and the engine's values for them, then runs {@code python/check_against_java.py}
 * with every python3 here that has numpy (the numpy path), and with torch where it is installed.
 */
class PythonLossModuleTest {
    private static final JvmBackend B = JvmBackend.INSTANCE;

    @TempDir
    Path dir;

    private record Case(String name, LearnedLoss loss, int samples, int predictionColumns, int inputColumns) {
    }

    @Test
    void numpyAndTorchAgreeWithTheJavaEngine() throws Exception {
        List<Case> cases = List.of(
                new Case("sine", new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS,
                        false), LossInput.PREDICTION_TARGET), 7, 1, 0),
                new Case("digits-per-class", new LearnedLoss(new Mlp(new int[] {2, 40, 40, 1}, Activation.RELU,
                        Activation.SOFTPLUS, true), LossInput.PER_CLASS_PREDICTION_TARGET), 5, 10, 0),
                new Case("shaped-with-input", new LearnedLoss(new Mlp(new int[] {3, 8, 8, 1}, Activation.TANH,
                        Activation.SIGMOID, true), LossInput.INPUT_PREDICTION_TARGET), 6, 1, 1),
                new Case("three-columns-elu", new LearnedLoss(new Mlp(new int[] {6, 5, 1}, Activation.ELU,
                        Activation.IDENTITY, true), LossInput.predictionTarget("prediction", "target", 3)), 4, 3, 0));
        long seed = 1;
        for (Case c : cases) {
            write(c, seed++);
        }
        List<String> outputs = new ArrayList<>();
        for (String python : pythonsWithNumpy()) {
            Process p = new ProcessBuilder(python, repository().resolve("python/check_against_java.py").toString(),
                    dir.toString()).redirectErrorStream(true).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), python + " did not finish");
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertEquals(0, p.exitValue(), python + ":\n" + out);
            assertTrue(out.contains("numpy: 4 cases agree"), python + ":\n" + out);
            assertTrue(out.contains("torch: absent") || out.matches("(?s).*torch \\S+: 4 cases agree.*"), python + ":\n" + out);
            outputs.add(python + ": " + out.trim().replace('\n', ';'));
        }
        assertFalse(outputs.isEmpty(), "no python3 with numpy here (apt-get install python3-numpy)");
        System.out.println("[PythonLossModuleTest] " + String.join(" | ", outputs));
    }

    private void write(Case c, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] phi = c.loss().initialPhi(B, rng, Init.XAVIER_UNIFORM, 0.05);
        Files.write(dir.resolve(c.name() + ".safetensors"),
                LearnedLossFile.encode(new LearnedLossFile.Contents(c.loss(), phi, "test", seed, 1)));
        int n = c.samples();
        int k = c.predictionColumns();
        double[] prediction = rng.doubles((long) n * k, -2, 0.5).toArray();
        double[] target = rng.doubles((long) n * k, -1, 1).toArray();
        double[] input = c.inputColumns() == 0 ? null : rng.doubles((long) n * c.inputColumns(), -3, 3).toArray();
        Tensor pred = Tensor.variable(B, prediction, 1, n, k);
        TaskBatch batch = new TaskBatch(input == null ? Tensor.zeros(B, 1, n, 0) : Tensor.constant(B, input, 1, n, c.inputColumns()),
                Tensor.constant(B, target, 1, n, k));
        List<Tensor> phiConstants = c.loss().layout().variables(B, phi).stream().map(Tensor::detach).toList();
        double[] perSample = c.loss().perSample(phiConstants, pred, batch).toArray();
        Tensor loss = c.loss().withConstants(B, phi).value(pred, batch);
        double[] gradient = Autograd.grad(loss, List.of(pred), false).get(0).toArray();
        String json = "{\"prediction\": " + rows(prediction, n, k) + ", \"target\": " + rows(target, n, k)
                + ", \"input\": " + (input == null ? "null" : rows(input, n, c.inputColumns()))
                + ", \"per_sample\": " + list(perSample) + ", \"loss\": " + Double.toString(loss.item())
                + ", \"gradient\": " + rows(gradient, n, k) + ", \"phi_sha256\": \"" + sha256(phi) + "\"}\n";
        Files.writeString(dir.resolve(c.name() + ".json"), json);
    }

    /** SHA-256 of phi as little-endian float64s in the project's order (docs/experiments/baselines.md). */
    private static String sha256(double[] phi) throws IOException {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(8 * phi.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        for (double v : phi) {
            b.putDouble(v);
        }
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }

    private static String list(double[] v) {
        return Arrays.stream(v).mapToObj(Double::toString).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String rows(double[] v, int n, int k) {
        List<String> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            rows.add(list(Arrays.copyOfRange(v, i * k, (i + 1) * k)));
        }
        return "[" + String.join(", ", rows) + "]";
    }

    /** Every distinct python3 here that imports numpy: the one on PATH, and Debian's (where apt puts torch). */
    private static List<String> pythonsWithNumpy() throws Exception {
        Set<String> candidates = new LinkedHashSet<>(List.of("python3", "/usr/bin/python3"));
        Set<String> seen = new LinkedHashSet<>();
        List<String> found = new ArrayList<>();
        for (String python : candidates) {
            Process p;
            try {
                p = new ProcessBuilder(python, "-c", "import sys, numpy; print(sys.executable)").redirectErrorStream(true).start();
            } catch (IOException e) {
                continue;
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                continue;
            }
            String exe = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.exitValue() == 0 && seen.add(exe)) {
                found.add(python);
            }
        }
        return found;
    }

    private static Path repository() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
