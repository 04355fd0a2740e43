package io.ml3spark.format;

import io.ml3spark.bench.Pythons;
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
import java.util.List;
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

    /** Writes {@code bytes} as {@code name}, after checking that the Java reader refuses it. */
    private void writeRefused(Path folder, String name, byte[] bytes) throws IOException {
        org.junit.jupiter.api.Assertions.assertThrows(Safetensors.CorruptFileException.class,
                () -> LearnedLossFile.decode(bytes, name), name);
        Files.write(folder.resolve(name), bytes);
    }

    private static byte[] replaced(byte[] bytes, String from, String to) {
        String latin = new String(bytes, StandardCharsets.ISO_8859_1);
        assertTrue(latin.contains(from) && from.length() == to.length(), from);
        return latin.replaceFirst(java.util.regex.Pattern.quote(from), to).getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void thePythonReaderRefusesEveryFileTheJavaReaderRefusesInOneLineWithoutAllocatingWhatItClaims() throws Exception {
        Path folder = Files.createDirectory(dir.resolve("refusals"));
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 50, 50, 1}, Activation.RELU, Activation.SOFTPLUS, false),
                LossInput.PREDICTION_TARGET);
        double[] phi = loss.initialPhi(B, new SplittableRandom(5), Init.XAVIER_UNIFORM, 0.05);
        byte[] good = LearnedLossFile.encode(new LearnedLossFile.Contents(loss, phi, "test", 5, 12, "run-1"));
        Files.write(folder.resolve("good.safetensors"), good);
        byte[] data = good.clone();
        data[data.length - 3] ^= 1;
        writeRefused(folder, "flipped-data-byte.safetensors", data);
        writeRefused(folder, "edited-header-digit.safetensors", replaced(good, "\"iterations\":\"12\"", "\"iterations\":\"19\""));
        double[] nan = phi.clone();
        nan[17] = Double.NaN;
        writeRefused(folder, "nan-parameter.safetensors",
                LearnedLossFile.encode(new LearnedLossFile.Contents(loss, nan, "test", 5, 12)));
        writeRefused(folder, "truncated.safetensors", Arrays.copyOf(good, good.length / 2));
        byte[] longHeader = good.clone();
        java.nio.ByteBuffer.wrap(longHeader).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(1L << 40);
        writeRefused(folder, "header-length-beyond-the-file.safetensors", longHeader);
        writeRefused(folder, "negative-shape.safetensors", replaced(good, "[50,2]", "[-5,2]"));
        byte[] garbage = good.clone();
        Arrays.fill(garbage, 8, 40, (byte) '{');
        writeRefused(folder, "not-json.safetensors", garbage);
        writeRefused(folder, "bracket-for-brace.safetensors", replaced(good, "{\"__metadata__\"", "[\"__metadata__\""));
        // A sparse file of 1.5 GB behind a valid header: refused by its checksum, read in chunks, never whole.
        Path sparse = folder.resolve("sparse-1.5GB.safetensors");
        Files.write(sparse, good);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(1536L << 20);
        }

        List<String> pythons = pythonsWithNumpy();
        assertFalse(pythons.isEmpty(), "no python3 with numpy here (apt-get install python3-numpy)");
        for (String python : pythons) {
            Process p = new ProcessBuilder(python, repository().resolve("python/check_refusals.py").toString(),
                    folder.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), python + " did not finish");
            assertEquals(0, p.exitValue(), python + ":\n" + out);
            List<String> lines = out.lines().toList();
            assertEquals(11, lines.size(), python + ":\n" + out);
            for (String line : lines.subList(0, 10)) {
                String[] f = line.split("\t");
                if (f[0].equals("good.safetensors")) {
                    assertEquals("accepted", f[1], line);
                } else {
                    assertEquals(3, f.length, line);
                    assertEquals("refused", f[1], line);
                    assertTrue(f[2].startsWith(folder.resolve(f[0]) + ": "), line);
                }
            }
            assertTrue(out.contains("nan-parameter.safetensors\trefused\t") && out.contains("not finite"), out);
            assertTrue(out.contains("sparse-1.5GB.safetensors\trefused\t") && out.contains("checksum mismatch"), out);
            String[] peak = lines.get(10).split("\t");
            assertEquals("peak-rss-mb", peak[0]);
            assertTrue(Integer.parseInt(peak[1]) < 200, python + " peaked at " + peak[1] + " MB");
            System.out.println("[PythonLossModuleTest] " + python + ":\n" + out.trim());
        }
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
    private static List<String> pythonsWithNumpy() {
        return Pythons.withModules("numpy");
    }

    private static Path repository() {
        return Path.of("..").toAbsolutePath().normalize();
    }
}
