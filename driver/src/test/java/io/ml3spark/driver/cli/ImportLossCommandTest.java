package io.ml3spark.driver.cli;

import io.ml3spark.driver.Ml3;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.ml3.LossInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A PyTorch state_dict in the official ML3 code's layout, imported and meta-tested. */
class ImportLossCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        return Ml3.execute(new PrintWriter(err, true), args);
    }

    /** A safetensors file as PyTorch's safetensors writes it: F32, no metadata, keys in the header's order. */
    private static byte[] torchSafetensors(Map<String, float[]> values, Map<String, int[]> shapes) {
        StringBuilder header = new StringBuilder("{");
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (Map.Entry<String, float[]> e : values.entrySet()) {
            int begin = data.size();
            ByteBuffer b = ByteBuffer.allocate(4 * e.getValue().length).order(ByteOrder.LITTLE_ENDIAN);
            for (float v : e.getValue()) {
                b.putFloat(v);
            }
            data.writeBytes(b.array());
            int[] s = shapes.get(e.getKey());
            header.append(header.length() > 1 ? "," : "").append('"').append(e.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[")
                    .append(s[0]).append(',').append(s[1]).append("],\"data_offsets\":[").append(begin).append(',')
                    .append(data.size()).append("]}");
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + data.size()).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json).put(data.toByteArray());
        return out.array();
    }

    private static float[] random(SplittableRandom rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextDouble(-0.3, 0.3);
        }
        return v;
    }

    private Path officialSineLoss(int secondLayerIn) throws Exception {
        return officialSineLoss(secondLayerIn, Float.NaN, -1);
    }

    /** The official loss's state_dict, with {@code poison} at index {@code at} of layers.2.weight if {@code at >= 0}. */
    private Path officialSineLoss(int secondLayerIn, float poison, int at) throws Exception {
        SplittableRandom rng = new SplittableRandom(4);
        Map<String, float[]> values = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        // The official code's ML3_SineRegressionLoss: layers.0 (2->50), layers.2 (50->50), loss.0 (50->1), no biases.
        values.put("loss.0.weight", random(rng, 50));
        shapes.put("loss.0.weight", new int[] {1, 50});
        values.put("layers.2.weight", random(rng, 50 * secondLayerIn));
        shapes.put("layers.2.weight", new int[] {50, secondLayerIn});
        values.put("layers.0.weight", random(rng, 100));
        shapes.put("layers.0.weight", new int[] {50, 2});
        if (at >= 0) {
            values.get("layers.2.weight")[at] = poison;
        }
        Path file = tmp.resolve("official-" + secondLayerIn + (at >= 0 ? "-poisoned-" + poison : "") + ".safetensors");
        Files.write(file, torchSafetensors(values, shapes));
        return file;
    }

    @Test
    void theOfficialSineLossImportsAndIsMetaTested() throws Exception {
        Path state = officialSineLoss(50);
        Path loss = tmp.resolve("imported.safetensors");
        assertEquals(0, run("import-loss", "--state-dict", state.toString(), "--layers", "2,50,50,1",
                "--out", loss.toString()), err.toString());
        LearnedLossFile.Contents c = LearnedLossFile.decode(Files.readAllBytes(loss), "imported");
        assertEquals(LossInput.PREDICTION_TARGET, c.loss().input());
        // phi's first layer is layers.0.weight transposed ([in, out] inside), read from F32.
        java.nio.ByteBuffer raw = java.nio.ByteBuffer.wrap(Files.readAllBytes(state)).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = raw.getLong(0);
        float firstOfLayer0 = raw.getFloat((int) (8 + headerLength + 4 * (50 + 2500)));
        float secondRowFirstColumn = raw.getFloat((int) (8 + headerLength + 4 * (50 + 2500 + 2)));
        assertEquals(firstOfLayer0, c.phi()[0], 0.0, "W0[out 0, in 0] -> phi layers.0.weight[in 0, out 0]");
        assertEquals(secondRowFirstColumn, c.phi()[1], 0.0, "W0[out 1, in 0] -> phi layers.0.weight[in 0, out 1]");

        Path out = tmp.resolve("eval");
        assertEquals(0, run("evaluate", "--loss", loss.toString(), "--config", "../conf/sine-regression.conf",
                "--set", "sine-regression.meta-test.steps=5", "--master", "local[2]", "--out", out.toString()), err.toString());
        assertMetaTested(out, loss);
    }

    /** Where Debian's python3-torch is installed (.ci/run installs it): a loss meta-trained in PyTorch itself. */
    @Test
    void aLossMetaTrainedInPyTorchImportsAndIsMetaTested() throws Exception {
        Process probe = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
        org.junit.jupiter.api.Assumptions.assumeTrue(probe.waitFor() == 0, "no torch for /usr/bin/python3");
        Path state = tmp.resolve("torch-sine.safetensors");
        Process train = new ProcessBuilder("/usr/bin/python3", "../python/examples/train_sine_loss_torch.py",
                state.toString(), "100", "1").redirectErrorStream(true).start();
        String printed = new String(train.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, train.waitFor(), printed);
        Path loss = tmp.resolve("torch-imported.safetensors");
        assertEquals(0, run("import-loss", "--state-dict", state.toString(), "--layers", "2,50,50,1",
                "--out", loss.toString()), err.toString());
        Path out = tmp.resolve("torch-eval");
        assertEquals(0, run("evaluate", "--loss", loss.toString(), "--config", "../conf/sine-regression.conf",
                "--set", "sine-regression.meta-test.steps=5", "--master", "local[2]", "--out", out.toString()), err.toString());
        assertMetaTested(out, loss);
    }

    /** evaluation.json names the imported file and holds a finite test MSE for it, not the baseline's. */
    private static void assertMetaTested(Path out, Path loss) throws Exception {
        com.fasterxml.jackson.databind.JsonNode e = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(out.resolve("evaluation.json").toFile());
        assertEquals(loss.toString(), e.get("learned_loss").asText());
        double learned = e.get("ml3").get("final_mse_mean").asDouble();
        double baseline = e.get("baseline").get("final_mse_mean").asDouble();
        assertTrue(Double.isFinite(learned) && learned > 0 && learned != baseline, learned + " vs " + baseline);
    }

    @Test
    void aTensorOfAnotherShapeIsOneLineNamingItAndBothShapes() throws Exception {
        Path state = officialSineLoss(40);
        Path loss = tmp.resolve("bad.safetensors");
        assertEquals(2, run("import-loss", "--state-dict", state.toString(), "--layers", "2,50,50,1",
                "--out", loss.toString()));
        assertEquals(List.of("error: --state-dict " + state + " does not fit --layers 2,50,50,1: tensor"
                + " 'layers.2.weight' has shape [50, 40], the architecture 2-50-50-1 needs [50, 50]"),
                err.toString().trim().lines().toList());
        assertFalse(Files.exists(loss));
        assertEquals(2, run("import-loss", "--state-dict", state.toString(), "--layers", "2,50,50,1",
                "--activation", "swish", "--out", loss.toString()));
        assertTrue(err.toString().trim().startsWith("error: --activation: unknown activation 'swish'"), err.toString());
        assertEquals(List.of("layers.2.weight", "layers.10.weight", "loss.0.weight"),
                ImportLossCommand.naturalOrder(List.of("loss.0.weight", "layers.10.weight", "layers.2.weight")));
    }

    @Test
    void aNonFiniteTensorIsRefusedNamingItAndNothingIsLeftBehind() throws Exception {
        Path out = Files.createDirectory(tmp.resolve("out"));
        for (float poison : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
            Path state = officialSineLoss(50, poison, 7);
            assertEquals(2, run("import-loss", "--state-dict", state.toString(), "--layers", "2,50,50,1",
                    "--out", out.resolve("loss.safetensors").toString()));
            assertEquals(List.of("error: --state-dict " + state + ": tensor layers.2.weight holds " + (double) poison
                    + " at index 7; a learned loss must be finite"), err.toString().trim().lines().toList());
            try (java.util.stream.Stream<Path> left = Files.list(out)) {
                assertEquals(List.of(), left.toList());
            }
        }
        assertEquals(0, run("import-loss", "--state-dict", officialSineLoss(50).toString(), "--layers", "2,50,50,1",
                "--out", out.resolve("loss.safetensors").toString()), err.toString());
        try (java.util.stream.Stream<Path> left = Files.list(out)) {
            assertEquals(List.of("loss.safetensors"), left.map(p -> p.getFileName().toString()).toList(),
                    "no .crc or temporary file beside it");
        }
    }
}
