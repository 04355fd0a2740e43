package io.ml3spark.driver.cli;

import io.ml3spark.bench.Pythons;
import io.ml3spark.driver.Ml3Cli;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** {@code bench --runs N --torch ...}: the engine's rows and torch's alternate, then their medians and ratios. */
class BenchCommandTest {
    private static final String[] QUICK = {"bench", "--backends", "jvm", "--precisions", "float32", "--batches", "1,4",
        "--seconds", "0.05", "--runs", "2", "--reacher-config", "", "--model-free-configs", ""};

    private static Ml3Cli.Result bench(String torch) {
        String[] args = java.util.Arrays.copyOf(QUICK, QUICK.length + 2);
        args[QUICK.length] = "--torch";
        args[QUICK.length + 1] = torch;
        Ml3Cli.Result r = Ml3Cli.run(args);
        assertEquals(0, r.exit(), r.stderr());
        return r;
    }

    @Test
    void torchRowsAlternateWithTheEnginesAndTheRatiosFollow() {
        assumeFalse(Pythons.withModules("torch").isEmpty(), "no python3 with torch here (apt-get install python3-torch)");
        List<String> lines = bench("auto").stdout().lines().toList();
        int run2 = lines.indexOf("-- run 2 of 2");
        assertTrue(run2 > 0, String.join("\n", lines));
        for (List<String> run : List.of(lines.subList(0, run2), lines.subList(run2, lines.size()))) {
            assertEquals(2, run.stream().filter(l -> l.startsWith("jvm ") && l.contains("float32")).count(), String.join("\n", run));
            assertEquals(2, run.stream().filter(l -> l.startsWith("torch.func float32")).count(), String.join("\n", run));
        }
        int medians = lines.indexOf(lines.stream().filter(l -> l.startsWith("tasks/s, median of 2 alternating runs; ratio"))
                .findFirst().orElseThrow());
        assertTrue(lines.get(medians).contains("torch ") && lines.get(medians).contains("one thread"), lines.get(medians));
        assertTrue(lines.get(medians + 1).contains("ratio jvm float32"), lines.get(medians + 1));
        for (int i = 0; i < 2; i++) {
            String[] cells = lines.get(medians + 2 + i).trim().split("\\s+");
            assertEquals(List.of("1", "4").get(i), cells[0]);
            double jvm = Double.parseDouble(cells[1]);
            double torch = Double.parseDouble(cells[2]);
            double ratio = Double.parseDouble(cells[3].replace("x", ""));
            assertEquals(jvm / torch, ratio, 0.006 * ratio + 0.005, lines.get(medians + 2 + i));
        }
    }

    @Test
    void withoutTorchTheMediansStandAlone() {
        String out = bench("off").stdout();
        assertFalse(out.contains("torch.func"), out);
        assertTrue(out.contains("tasks/s, median of 2 alternating runs\n"), out);
    }
}
