package io.ml3spark.driver.table;

import io.ml3spark.driver.Ml3Cli;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.experiments.table.TableSplit;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table-regression experiment through {@code train}, on tables on the local file system and Spark local[2]. */
class TableRegressionRunTest {
    @TempDir
    static Path shared;
    @TempDir
    Path tmp;
    private static Path lines;

    @BeforeAll
    static void makeTasks() {
        lines = shared.resolve("lines");
        Ml3Cli.Result made = Ml3Cli.run("make-tasks", "--tasks", "60", "--rows", "40", "--features", "2", "--seed", "3",
                "--master", "local[2]", "--out", lines.toString());
        assertEquals(0, made.exit(), made.stderr());
    }

    private static Ml3Cli.Result train(Path table, Path out, int iterations, String execution, String... more) {
        List<String> args = new ArrayList<>(List.of("train", "--config", "../conf/table-regression.conf", "--master",
                "local[2]", "--out", out.toString(), "--set", "table-regression.table.path=" + table,
                "--set", "table-regression.rows.support=8", "--set", "table-regression.rows.query=8",
                "--set", "table-regression.tasks-per-partition=3", "--set", "table-regression.meta-test.tasks=4",
                "--set", "table-regression.meta-test.steps=5", "--set", "meta-train.iterations=" + iterations,
                "--set", "meta-train.checkpoint-every=4", "--set", "meta-train.execution=" + execution));
        args.addAll(List.of(more));
        return Ml3Cli.run(args.toArray(String[]::new));
    }

    private static double[] phi(Path run) throws IOException {
        return LearnedLossFile.decode(Files.readAllBytes(run.resolve("learned-loss.safetensors")), run.toString()).phi();
    }

    private static Ml3Cli.Result resume(Path out, int iterations) {
        return Ml3Cli.run("train", "--resume", out.toString(), "--master", "local[2]", "--skip-evaluation", "--set",
                "meta-train.iterations=" + iterations);
    }

    @Test
    void bothExecutionModesAndAResumedRunEndBitIdenticalAndTheMetaTestUsesHeldOutTasks() throws IOException {
        Path perIteration = tmp.resolve("per-iteration");
        Ml3Cli.Result a = train(lines, perIteration, 8, "per-iteration");
        assertEquals(0, a.exit(), a.stderr());
        assertTrue(a.stdout().contains("[table] read " + lines + ": 60 tasks ("), a.stdout());
        assertTrue(a.stdout().contains("[evaluate] held-out tasks (4), mse after 5 steps"), a.stdout());
        assertTrue(Files.readString(perIteration.resolve("evaluation.json")).contains("\"held-out\""));

        Path barrier = tmp.resolve("barrier");
        Ml3Cli.Result b = train(lines, barrier, 8, "barrier", "--skip-evaluation");
        assertEquals(0, b.exit(), b.stderr());
        assertArrayEquals(phi(perIteration), phi(barrier), "barrier mode equals per-iteration");

        Path split = tmp.resolve("split");
        assertEquals(0, train(lines, split, 5, "barrier", "--skip-evaluation").exit());
        Ml3Cli.Result resumed = resume(split, 8);
        assertEquals(0, resumed.exit(), resumed.stderr());
        assertTrue(resumed.stdout().contains("after iteration 5"), resumed.stdout());
        assertEquals(1, resumed.stdout().split("\\[table\\] read ", -1).length - 1, "the table is read once");
        assertArrayEquals(phi(perIteration), phi(split), "a resumed run ends bit-identical");
        assertEquals(Files.readString(perIteration.resolve(TableRecord.FILE)), Files.readString(split.resolve(TableRecord.FILE)));
        TableRecord table = TableRecord.decode(Files.readAllBytes(split.resolve(TableRecord.FILE)), "table.json");
        java.util.Map<String, String> data = LearnedLossFile.decode(Files.readAllBytes(
                split.resolve("learned-loss.safetensors")), "loss").data();
        assertEquals(table.asLossMetadata(), data, "the loss file carries the table's fingerprint and scaling");
        assertTrue(data.get("data.table.features").equals("[\"x_0\",\"x_1\"]"), data.toString());
    }

    @Test
    void aClassificationTableMetaTrainsInBothModesAlikeAndIsScoredByAccuracy() throws IOException {
        Path classes = tmp.resolve("classes");
        Ml3Cli.Result made = Ml3Cli.run("make-tasks", "--family", "flipped-labels", "--classes", "3", "--tasks", "60",
                "--rows", "40", "--features", "2", "--master", "local[2]", "--out", classes.toString());
        assertEquals(0, made.exit(), made.stderr());
        assertTrue(made.stdout().contains("(2 features, 3 classes, 20% flipped labels)"), made.stdout());
        double[][] phis = new double[2][];
        for (int mode = 0; mode < 2; mode++) {
            Path run = tmp.resolve("classes-run-" + mode);
            Ml3Cli.Result r = Ml3Cli.run("train", "--config", "../conf/table-classification.conf", "--master", "local[2]",
                    "--out", run.toString(), "--set", "table-classification.table.path=" + classes,
                    "--set", "table-classification.table.classes=3", "--set", "table-classification.rows.support=8",
                    "--set", "table-classification.rows.query=8", "--set", "table-classification.tasks-per-partition=3",
                    "--set", "table-classification.meta-test.tasks=4", "--set", "table-classification.meta-test.steps=5",
                    "--set", "meta-train.iterations=6", "--set", "meta-train.execution="
                            + (mode == 0 ? "per-iteration" : "barrier"));
            assertEquals(0, r.exit(), r.stderr());
            assertTrue(r.stdout().contains("[evaluate] held-out tasks (4), accuracy after 5 steps"), r.stdout());
            assertTrue(Files.readString(run.resolve("evaluation.json")).contains("\"higher_is_better\""));
            phis[mode] = phi(run);
        }
        assertArrayEquals(phis[0], phis[1], "barrier mode equals per-iteration");

        // The learned loss trains a DL4J classifier on one task of the table.
        Path config = tmp.resolve("classes.conf");
        Files.writeString(config, Files.readString(Path.of("../conf/table-classification.conf"))
                + "\ntable-classification.table { path = \"" + classes + "\", classes = 3 }\n"
                + "table-classification.rows { support = 8, query = 8 }\n");
        Path model = tmp.resolve("model");
        Ml3Cli.Result trained = Ml3Cli.run("train-model", "--loss", tmp.resolve("classes-run-0/learned-loss.safetensors")
                .toString(), "--baseline", "nll", "--data", "table:" + config, "--task", "task-000005", "--epochs", "2",
                "--batch-size", "4", "--hidden", "8", "--master", "local[2]", "--out", model.toString());
        assertEquals(0, trained.exit(), trained.stderr());
        assertTrue(trained.stdout().contains("training and 8 test examples (1x2)"), trained.stdout());
        String evaluation = Files.readString(model.resolve("evaluation.json"));
        assertTrue(evaluation.contains("\"learned-loss\"") && evaluation.contains("\"nll\""), evaluation);
        Ml3Cli.Result unnamed = Ml3Cli.run("train-model", "--loss", "nll", "--data", "table:" + config, "--master",
                "local[1]", "--out", tmp.resolve("unnamed").toString());
        assertEquals(2, unnamed.exit());
        assertTrue(unnamed.stderr().contains("trains on one task of the table: name it with --task ID"), unnamed.stderr());
    }

    @Test
    void aLossThatReadsTheListedFeaturesMetaTrainsAndRecordsThemAsItsInputs() throws IOException {
        Path run = tmp.resolve("features");
        Ml3Cli.Result r = train(lines, run, 4, "per-iteration", "--skip-evaluation", "--set",
                "table-regression.table.features=[x_0, x_1]", "--set", "table-regression.table.feature-prefix=null",
                "--set", "table-regression.learned-loss.input=features-prediction-target",
                "--set", "table-regression.learned-loss.layers=[4, 8, 1]");
        assertEquals(0, r.exit(), r.stderr());
        LearnedLossFile.Contents loss = LearnedLossFile.decode(Files.readAllBytes(run.resolve("learned-loss.safetensors")),
                "loss");
        assertEquals(List.of("x_0", "x_1", "prediction", "target"), loss.loss().input().names());
        Ml3Cli.Result prefix = train(lines, tmp.resolve("prefix"), 4, "per-iteration", "--skip-evaluation", "--set",
                "table-regression.learned-loss.input=features-prediction-target");
        assertEquals(2, prefix.exit());
        assertTrue(prefix.stderr().contains("a loss that reads features needs them listed (table.features)"),
                prefix.stderr());
    }

    @Test
    void aResumeRefusesATableWhoseContentChangedAndWritesNothing() throws IOException {
        Path table = tmp.resolve("table");
        assertEquals(0, Ml3Cli.run("make-tasks", "--tasks", "60", "--rows", "40", "--features", "2", "--seed", "3",
                "--master", "local[2]", "--out", table.toString()).exit());
        Path run = tmp.resolve("run");
        assertEquals(0, train(table, run, 4, "per-iteration", "--skip-evaluation").exit());
        org.apache.commons.io.FileUtils.deleteDirectory(table.toFile());
        assertEquals(0, Ml3Cli.run("make-tasks", "--tasks", "60", "--rows", "40", "--features", "2", "--seed", "4",
                "--master", "local[2]", "--out", table.toString()).exit());
        String metrics = Files.readString(run.resolve("metrics.csv"));
        Ml3Cli.Result refused = resume(run, 8);
        assertEquals(2, refused.exit(), refused.stdout());
        assertTrue(refused.stderr().contains("error: table " + table + " changed since the run started: its fingerprint is ")
                && refused.stderr().contains("a resume must read the same table: restore it, or start a new run"),
                refused.stderr());
        assertEquals(metrics, Files.readString(run.resolve("metrics.csv")), "nothing written");

        // Evaluating the loss on the changed table is allowed, with a note naming both tables' fingerprints.
        String then = TableRecord.decode(Files.readAllBytes(run.resolve(TableRecord.FILE)), "table.json").fingerprint();
        Ml3Cli.Result evaluated = Ml3Cli.run("evaluate", "--loss", run.resolve("learned-loss.safetensors").toString(),
                "--config", "../conf/table-regression.conf", "--set", "table-regression.table.path=" + table, "--set",
                "table-regression.rows.support=8", "--set", "table-regression.rows.query=8", "--set",
                "table-regression.meta-test.tasks=2", "--set", "table-regression.meta-test.steps=2", "--master", "local[2]",
                "--out", tmp.resolve("evaluated").toString());
        assertEquals(0, evaluated.exit(), evaluated.stderr());
        assertTrue(evaluated.stdout().contains("was meta-trained on a table of fingerprint " + then + "; " + table
                + " now has "), evaluated.stdout());
    }

    @Test
    void noMetaTestTaskReachesMetaTrainingOrTheScaling() throws IOException {
        TableSplit split = new TableSplit(0.2, 0.5, 0);
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        int heldOut = 0;
        for (int t = 0; t < 60; t++) {
            String id = "site-" + t;
            // Held-out tasks are poisoned: any of their rows in a meta-train batch or in the scaling would show.
            double scale = split.isMetaTest(id) ? 1e6 : 1;
            heldOut += split.isMetaTest(id) ? 1 : 0;
            for (int r = 0; r < 40; r++) {
                double x0 = random.nextDouble() * 2 - 1;
                double x1 = random.nextDouble() * 2 - 1;
                rows.add(RowFactory.create(id, scale * x0, scale * x1, scale * (x0 - x1)));
            }
        }
        assertTrue(heldOut > 0 && heldOut < 60);
        Path table = tmp.resolve("poisoned");
        SparkSession spark = SparkSession.builder().master("local[1]").appName("TableRegressionRunTest")
                .config("spark.ui.enabled", "false").getOrCreate();
        try {
            spark.createDataFrame(rows, DataTypes.createStructType(List.of(
                    DataTypes.createStructField("task_id", DataTypes.StringType, false),
                    DataTypes.createStructField("x_0", DataTypes.DoubleType, false),
                    DataTypes.createStructField("x_1", DataTypes.DoubleType, false),
                    DataTypes.createStructField("y", DataTypes.DoubleType, false)))).repartition(3).write().parquet(table.toString());
        } finally {
            spark.stop();
        }
        Path run = tmp.resolve("run");
        Ml3Cli.Result trained = train(table, run, 12, "per-iteration", "--skip-evaluation");
        assertEquals(0, trained.exit(), trained.stderr());
        assertTrue(trained.stdout().contains("(" + (60 - heldOut) + " to meta-train, " + heldOut + " held out)"),
                trained.stdout());
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(13, metrics.size());
        for (String line : metrics.subList(1, metrics.size())) {
            assertTrue(Double.parseDouble(line.split(",")[1]) < 100, "a held-out task was meta-trained on: " + line);
        }
        TableRecord record = TableRecord.decode(Files.readAllBytes(run.resolve(TableRecord.FILE)), "table.json");
        for (int f = 0; f < 2; f++) {
            assertTrue(Math.abs(record.scaling().mean()[f]) < 0.5 && record.scaling().std()[f] < 1,
                    "the scaling saw a held-out task: " + record);
        }
    }
}
