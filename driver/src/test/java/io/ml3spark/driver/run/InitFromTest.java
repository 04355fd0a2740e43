package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code meta-train.init-from}: a run starts from the phi of a learned-loss file of the same architecture. */
class InitFromTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int train(String... more) {
        return Ml3.execute(new PrintWriter(err, true), ResumeTest.args(ResumeTest.SETTINGS, more));
    }

    @Test
    void startsFromTheFilesPhi() throws IOException {
        Path first = tmp.resolve("first");
        assertEquals(0, train("--out", first.toString(), "--set", "meta-train.iterations=3"), err.toString());
        String file = first.resolve("learned-loss.safetensors").toString();
        // A vanishing Adam step keeps phi where it started: the file's phi, not the experiment's init.
        Path second = tmp.resolve("second");
        assertEquals(0, train("--out", second.toString(), "--set", "meta-train.iterations=1",
                "--set", "meta-train.adam.learning-rate=1e-12", "--set", "meta-train.init-from=\"" + file + "\""), err.toString());
        Path fresh = tmp.resolve("fresh");
        assertEquals(0, train("--out", fresh.toString(), "--set", "meta-train.iterations=1",
                "--set", "meta-train.adam.learning-rate=1e-12"), err.toString());

        assertEquals(0.0, maxDifference(ResumeTest.phi(first), ResumeTest.phi(second)), 1e-9);
        assertTrue(maxDifference(ResumeTest.phi(first), ResumeTest.phi(fresh)) > 1e-4);
        assertTrue(Files.readString(second.resolve("config.conf")).contains(file));
    }

    @Test
    void aFileOfAnotherArchitectureIsAConfigError() throws IOException {
        Path first = tmp.resolve("first");
        assertEquals(0, train("--out", first.toString(), "--set", "meta-train.iterations=1"), err.toString());
        Path other = tmp.resolve("other");
        int code = train("--out", other.toString(), "--set", "sine-regression.learned-loss.layers=[2,8,1]",
                "--set", "meta-train.init-from=\"" + first.resolve("learned-loss.safetensors") + "\"");
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("meta-train.init-from"), err.toString());
        assertFalse(Files.exists(other.resolve("learned-loss.safetensors")));
    }

    private static double maxDifference(double[] a, double[] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs(a[i] - b[i]));
        }
        return max;
    }

    @Test
    void aMissingOrCorruptFileIsAConfigErrorNamingTheKey() throws IOException {
        Path notALoss = Files.writeString(tmp.resolve("not-a-loss.safetensors"), "hello");
        for (String file : new String[] {tmp.resolve("missing.safetensors").toString(), notALoss.toString()}) {
            int code = train("--out", tmp.resolve("never").toString(), "--set", "meta-train.init-from=\"" + file + "\"");
            assertEquals(2, code, err.toString());
            assertTrue(err.toString().contains("meta-train.init-from: ") && err.toString().contains(file), err.toString());
        }
    }
}
