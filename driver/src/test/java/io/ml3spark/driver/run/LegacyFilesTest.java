package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.Safetensors;
import io.ml3spark.ml3.LossInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.ml3spark.driver.run.ResumeTest.phi;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files written before tensors and features were named still load: {@code legacy-sine-run} is
 * a 3-iteration sine-regression run written by commit 24a2d11 (a learned-loss file with
 * metadata {@code input}, a version-2 checkpoint with flat vectors). Resumed to 5 iterations it
 * ends bit-identical to a fresh 5-iteration run, and what it writes is in the named format.
 */
class LegacyFilesTest {
    private static final String FIXTURE = "/legacy-sine-run/";

    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    @Test
    void aLearnedLossFileWithAnUnnamedInputLoadsAsNamedFeatures() throws IOException {
        byte[] old = fixture("learned-loss.safetensors");
        LearnedLossFile.Contents c = LearnedLossFile.decode(old, "legacy");
        assertEquals(LossInput.PREDICTION_TARGET, c.loss().input());
        assertEquals(List.of("prediction", "target"), c.loss().input().names());
        assertEquals(2 * 50 + 50 * 50 + 50, c.phi().length);
        assertFalse(Safetensors.decode(old, "legacy").metadata().containsKey("features"));

        byte[] rewritten = LearnedLossFile.encode(c);
        var meta = Safetensors.decode(rewritten, "rewritten").metadata();
        assertEquals("prediction:prediction,target:target", meta.get("features"));
        assertEquals("mean-over-samples", meta.get("reduction"));
        assertFalse(meta.containsKey("input"));
        LearnedLossFile.Contents back = LearnedLossFile.decode(rewritten, "rewritten");
        assertArrayEquals(c.phi(), back.phi(), 0.0);
        assertTrue(back.fits(c.loss()));
    }

    @Test
    void aRunWithAVersion2CheckpointResumesBitIdenticalToAFreshRun() throws IOException {
        Path legacy = tmp.resolve("legacy");
        Files.createDirectories(legacy.resolve("checkpoints"));
        for (String f : List.of("run.json", "config.conf", "metrics.csv", "learned-loss.safetensors",
                "checkpoints/iter-000003.safetensors")) {
            Files.write(legacy.resolve(f), fixture(f));
        }
        assertEquals(Checkpoints.FORMAT_V2, Safetensors.decode(fixture("checkpoints/iter-000003.safetensors"), "v2")
                .metadata().get("format"));
        train("train", "--resume", legacy.toString(), "--master", "local[2]", "--skip-evaluation",
                "--set", "meta-train.iterations=5");
        Path fresh = tmp.resolve("fresh");
        train("train", "--config", legacy.resolve("config.conf").toString(), "--out", fresh.toString(), "--master",
                "local[2]", "--skip-evaluation", "--set", "meta-train.iterations=5");

        assertArrayEquals(phi(fresh), phi(legacy), "phi after resuming the legacy run must be bit-identical");
        List<String> a = Files.readAllLines(fresh.resolve("metrics.csv"));
        List<String> b = Files.readAllLines(legacy.resolve("metrics.csv"));
        assertEquals(6, b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).substring(0, a.get(i).lastIndexOf(',')), b.get(i).substring(0, b.get(i).lastIndexOf(',')));
        }
        var meta = Safetensors.decode(Files.readAllBytes(legacy.resolve("checkpoints/iter-000005.safetensors")), "v3")
                .metadata();
        assertEquals(Checkpoints.FORMAT, meta.get("format"));
        assertArrayEquals(new int[] {50, 50}, Safetensors.decode(Files.readAllBytes(
                legacy.resolve("checkpoints/iter-000005.safetensors")), "v3").tensor("adam.m.layers.1.weight", "v3").shape());
    }

    private static byte[] fixture(String name) throws IOException {
        try (InputStream in = LegacyFilesTest.class.getResourceAsStream(FIXTURE + name)) {
            if (in == null) {
                throw new IOException("test resource " + FIXTURE + name + " missing");
            }
            return in.readAllBytes();
        }
    }

    private void train(String... args) {
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), args), err.toString());
    }
}
