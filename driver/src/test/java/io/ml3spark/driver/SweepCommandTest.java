package io.ml3spark.driver;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int sweep(Path grid, Path out) {
        return Ml3.execute(new PrintWriter(err, true), "sweep", "--config", "../conf/sine-regression.conf", "--grid",
                grid.toString(), "--out", out.toString(), "--master", "local[2]", "--set", "meta-train.iterations=3",
                "--set", "sine-regression.meta-test.steps=4");
    }

    @Test
    void gridExpandsToOneRunPerPointWithASummaryAndARetrySkipsFinishedRuns() throws IOException {
        Path grid = tmp.resolve("grid.conf");
        Files.writeString(grid, "grid { seed = [0, 1], \"sine-regression.inner.learning-rate\" = [0.001, 0.002] }\n");
        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(grid, out), err.toString());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals("run,seed,sine-regression.inner.learning-rate,test_mse_ml3,test_mse_baseline,test_ml3_better,"
                + "train_mse_ml3,train_mse_baseline,train_ml3_better", summary.get(0));
        for (String row : summary.subList(1, summary.size())) {
            String[] f = row.split(",");
            assertEquals(Boolean.toString(Double.parseDouble(f[3]) < Double.parseDouble(f[4])), f[5], row);
        }
        assertEquals(5, summary.size());
        assertTrue(summary.get(1).startsWith("run-000,0,0.001,"), summary.get(1));
        assertTrue(summary.get(4).startsWith("run-003,1,0.002,"), summary.get(4));
        assertTrue(Files.readString(out.resolve("run-002/config.conf")).contains("seed=1"));

        long before = Files.getLastModifiedTime(out.resolve("run-001/learned-loss.safetensors")).toMillis();
        assertEquals(0, sweep(grid, out), err.toString());
        assertEquals(summary, Files.readAllLines(out.resolve("summary.csv")));
        assertEquals(before, Files.getLastModifiedTime(out.resolve("run-001/learned-loss.safetensors")).toMillis());
    }

    @Test
    void aChangedGridRerunsWhatChangedAndNeverMislabelsOldResults() throws IOException {
        Path grid = tmp.resolve("grid.conf");
        Path out = tmp.resolve("sweep");
        Files.writeString(grid, "grid { seed = [0, 1] }\n");
        assertEquals(0, sweep(grid, out), err.toString());
        long seed1 = Files.getLastModifiedTime(out.resolve("run-001/learned-loss.safetensors")).toMillis();
        Files.writeString(grid, "grid { seed = [2, 1] }\n");
        assertEquals(0, sweep(grid, out), err.toString());
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(3, summary.size(), summary.toString());
        assertTrue(summary.get(1).startsWith("run-002,2,"), summary.get(1));
        assertTrue(summary.get(2).startsWith("run-001,1,"), summary.get(2));
        assertEquals(seed1, Files.getLastModifiedTime(out.resolve("run-001/learned-loss.safetensors")).toMillis(),
                "the unchanged point is not rerun");
        for (String[] dirSeed : new String[][] {{"run-000", "0"}, {"run-001", "1"}, {"run-002", "2"}}) {
            assertTrue(Files.readString(out.resolve(dirSeed[0] + "/config.conf")).contains("seed=" + dirSeed[1]), dirSeed[0]);
        }
    }

    @Test
    void badGridValueIsAConfigError() throws IOException {
        Path grid = tmp.resolve("grid.conf");
        Files.writeString(grid, "grid { seed = 3 }\n");
        assertEquals(2, sweep(grid, tmp.resolve("never")));
        assertTrue(err.toString().contains("invalid grid value at 'grid.seed'"), err.toString());
        assertTrue(!Files.exists(tmp.resolve("never")));
    }

    @Test
    void aSweepWritesOnlyIntoItsOwnDirectoryAndResumesOnesFromBeforeTheMarker() throws IOException {
        Path grid = tmp.resolve("grid.conf");
        Files.writeString(grid, "grid { seed = [0] }\n");
        Path users = Files.createDirectory(tmp.resolve("users"));
        Files.writeString(users.resolve("summary.csv"), "my own table\n");
        assertEquals(1, sweep(grid, users));
        assertTrue(err.toString().contains(users + " is not empty and was not written by sweep (summary.csv); choose a new"
                + " or empty --out"), err.toString());
        assertEquals("my own table\n", Files.readString(users.resolve("summary.csv")));
        try (java.util.stream.Stream<Path> left = Files.list(users)) {
            assertEquals(List.of("summary.csv"), left.map(f -> f.getFileName().toString()).toList(),
                    "nothing written into a directory sweep does not own, not even a lock");
        }

        Path out = tmp.resolve("sweep");
        assertEquals(0, sweep(grid, out), err.toString());
        assertEquals("ml3-spark sweep\n", Files.readString(out.resolve(".ml3-output")));
        // as a sweep of a version before the marker left it: an Airflow retry must still resume it
        Files.delete(out.resolve(".ml3-output"));
        List<String> summary = Files.readAllLines(out.resolve("summary.csv"));
        assertEquals(0, sweep(grid, out), err.toString());
        assertEquals(summary, Files.readAllLines(out.resolve("summary.csv")));
        assertTrue(Files.exists(out.resolve(".ml3-output")));
    }
}
