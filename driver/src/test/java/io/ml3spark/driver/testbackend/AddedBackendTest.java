package io.ml3spark.driver.testbackend;

import io.ml3spark.driver.Ml3;
import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.tensor.Backends;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A backend added with two classes and one service line is a choice of train and bench, like the shipped ones. */
class AddedBackendTest {
    private static final String CONFIG = "src/test/resources/test-linear-regression.conf";

    @TempDir
    Path tmp;

    @Test
    void theTestOnlyBackendTrainsThroughTheCliToTheJvmBackendsNumbers() throws IOException {
        assertTrue(Backends.names().contains(CountingBackendProvider.NAME), Backends.names().toString());
        StringWriter err = new StringWriter();
        Path jvm = tmp.resolve("jvm");
        Path counted = tmp.resolve("counted");
        assertEquals(0, train(err, jvm, "backend=jvm"), err.toString());
        long before = CountingBackend.KERNEL_CALLS.get();
        assertEquals(0, train(err, counted, "backend=" + CountingBackendProvider.NAME), err.toString());
        assertTrue(CountingBackend.KERNEL_CALLS.get() - before > 1000, "the run computed on the added backend");
        assertEquals(withoutSeconds(jvm), withoutSeconds(counted), "the same kernels give the same meta-training");
        assertTrue(Files.readString(counted.resolve("config.conf")).contains(CountingBackendProvider.NAME));

        assertEquals(2, train(err, tmp.resolve("f32"), "backend=" + CountingBackendProvider.NAME, "precision=float32"));
        assertTrue(err.toString().contains("the test-counting backend computes in float64 only; precision float32 needs"
                + " one of the backends [jvm, nd4j]"), err.toString());
    }

    @Test
    void benchMeasuresTheAddedBackend() {
        Ml3Cli.Result bench = Ml3Cli.run("bench", "--backends", CountingBackendProvider.NAME, "--batches", "2",
                "--precisions", "float64", "--seconds", "0.05", "--torch", "off", "--reacher-config", "", "--model-free-configs", "");
        assertEquals(0, bench.exit(), bench.stderr());
        String table = bench.stdout();
        assertTrue(table.lines().anyMatch(l -> l.startsWith(CountingBackendProvider.NAME) && l.contains("float64")), table);
    }

    private static int train(StringWriter err, Path out, String... settings) {
        List<String> args = new ArrayList<>(List.of("train", "--config", CONFIG, "--master", "local[2]", "--out",
                out.toString()));
        for (String setting : settings) {
            args.add("--set");
            args.add(setting);
        }
        return Ml3.execute(new PrintWriter(err, true), args.toArray(String[]::new));
    }

    /** metrics.csv without its last column, the wall-clock seconds. */
    private static List<String> withoutSeconds(Path run) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("metrics.csv"));
        assertTrue(lines.get(0).endsWith(",seconds"), lines.get(0));
        return lines.stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
    }
}
