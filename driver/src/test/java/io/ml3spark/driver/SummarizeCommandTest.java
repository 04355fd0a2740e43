package io.ml3spark.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** summarize groups runs by experiment and judges each metric in its own direction. */
class SummarizeCommandTest {
    @TempDir
    Path tmp;

    private Path run(String name, String experiment, String metric, double ml3, double baseline) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("evaluation.json"), "{\"experiment\":\"" + experiment + "\",\"task_sets\":{\"test\":"
                + "{\"metric\":\"" + metric + "\",\"ml3\":{\"final_" + metric + "_mean\":" + ml3 + "},\"baseline\":{\"final_"
                + metric + "_mean\":" + baseline + "}}}}");
        return dir;
    }

    @Test
    void runsOfDifferentExperimentsGetTablesOfTheirOwnAndHigherAccuracyWins() throws IOException {
        Path a = run("a", "mnist-binary", "accuracy", 0.844, 0.705);
        Path b = run("b", "sine-regression", "mse", 1.744, 2.482);
        Path c = run("c", "mnist-binary", "accuracy", 0.60, 0.701);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, Ml3.execute(new PrintWriter(err, true), "summarize", a.toString(), b.toString(), c.toString()),
                    err.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals("### mnist-binary (2 runs)\n\n"
                + "| run | test accuracy ML3 | test accuracy baseline | ML3 better (higher is better) |\n"
                + "|---|---|---|---|\n"
                + "| " + a + " | 0.844 | 0.705 | yes |\n"
                + "| " + c + " | 0.600 | 0.701 | no |\n"
                + "| mean | 0.722 | 0.703 | 1 of 2 |\n"
                + "\n### sine-regression (1 run)\n\n"
                + "| run | test mse ML3 | test mse baseline | ML3 better (lower is better) |\n"
                + "|---|---|---|---|\n"
                + "| " + b + " | 1.744 | 2.482 | yes |\n"
                + "| mean | 1.744 | 2.482 | 1 of 1 |\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void stepPicksTheMeanCurvesAtThatStepAndDistancesAreLowerIsBetter() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("reach"));
        Files.writeString(dir.resolve("evaluation.json"), "{\"experiment\":\"goal-reaching\",\"task_sets\":{\"test\":"
                + "{\"metric\":\"final_distance\",\"ml3\":{\"final_final_distance_mean\":0.52},\"baseline\":"
                + "{\"final_final_distance_mean\":0.06},\"ml3_curve_mean\":[1.25,0.45,0.6],"
                + "\"baseline_curve_mean\":[1.25,1.09,0.94]}}}");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, Ml3.execute(new PrintWriter(err, true), "summarize", "--step", "1", dir.toString()), err.toString());
            assertEquals(1, Ml3.execute(new PrintWriter(err, true), "summarize", "--step", "3", dir.toString()));
        } finally {
            System.setOut(saved);
        }
        String table = out.toString(StandardCharsets.UTF_8);
        assertEquals(true, table.contains("| " + dir + " | 0.450 | 1.090 | yes |"), table);
        assertEquals(true, table.contains("ML3 better (lower is better)"), table);
        assertEquals(true, err.toString().contains("has 2 meta-test steps, not 3"), err.toString());
    }

    @Test
    void plotDrawsTheRunsMeanCurvesPerTaskSet() throws IOException {
        Path[] dirs = new Path[2];
        for (int r = 0; r < 2; r++) {
            dirs[r] = Files.createDirectories(tmp.resolve("run" + r));
            Files.writeString(dirs[r].resolve("evaluation.json"), "{\"experiment\":\"goal-reaching\",\"task_sets\":{\"test\":"
                    + "{\"metric\":\"final_distance\",\"ml3\":{\"final_final_distance_mean\":0.5},\"baseline\":"
                    + "{\"final_final_distance_mean\":0.1},\"ml3_curve_mean\":[1.0," + (0.2 + r) + ",0.5],"
                    + "\"baseline_curve_mean\":[1.0,0.9,0.1]}}}");
        }
        Path plots = tmp.resolve("plots");
        PrintStream saved = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        try {
            assertEquals(0, Ml3.execute(new PrintWriter(err, true), "summarize", "--plot", plots.toString(),
                    dirs[0].toString(), dirs[1].toString()), err.toString());
        } finally {
            System.setOut(saved);
        }
        byte[] png = Files.readAllBytes(plots.resolve("goal-reaching-test.png"));
        assertEquals("PNG", new String(png, 1, 3, StandardCharsets.US_ASCII));
    }
}
