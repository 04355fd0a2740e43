package io.ml3spark.driver.train;

import io.ml3spark.driver.cluster.ShortSineRun;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.modelfree.ModelFreeExperiment;
import io.ml3spark.driver.run.MetaTestJob;
import io.ml3spark.driver.run.ModelRefits;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunTable;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.driver.table.TaskFamilyTable;
import io.ml3spark.experiments.table.FlippedLabels;
import io.ml3spark.experiments.table.OutlierLines;
import io.ml3spark.experiments.table.TaskFamily;
import io.ml3spark.experiments.table.TableExperiment;
import org.apache.spark.sql.SparkSession;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.ModelBasedExperiment;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Bit-for-bit fingerprints of every shipped config: three outer iterations on Spark
 * local[2] (phi, the kept best, every iteration's task loss) and a shortened meta-test on
 * Spark (each task set's final metrics), hashed with SHA-256 and compared with
 * {@code fingerprints.tsv}. A refactoring of the ML3 loop must leave them unchanged; a
 * change that is meant to move the numbers regenerates the file
 * ({@code -Dml3.fingerprints.write=true} writes {@code target/fingerprints.tsv}) and says
 * which moved and why. The kernels use fixed 256-bit vector shapes, so the fingerprints
 * hold on any x86-64 machine with AVX2 (recorded on this project's AMD EPYC machines, where CI
 * runs too); a machine that falls back to scalar Vector API code may sum in another order.
 */
class ExperimentFingerprintTest {
    private static final String GOLDEN = "/fingerprints.tsv";
    private static final Map<String, String> computed = new TreeMap<>();
    private static JavaSparkContext sc;

    @BeforeAll
    static void start() {
        sc = new JavaSparkContext(ShortSineRun.sparkConf("local[2]", "ExperimentFingerprintTest"));
    }

    @AfterAll
    static void stop() throws IOException {
        sc.close();
        if (Boolean.getBoolean("ml3.fingerprints.write")) {
            StringBuilder tsv = new StringBuilder("# config\tsha256 of 3 iterations + short meta-test (ExperimentFingerprintTest)\n");
            computed.forEach((config, hash) -> tsv.append(config).append('\t').append(hash).append('\n'));
            Files.writeString(Path.of("target/fingerprints.tsv"), tsv.toString());
        }
    }

    static Stream<String> configs() {
        return Arrays.stream(new File("../conf").listFiles((d, n) -> n.endsWith(".conf") && !n.startsWith("spark-")))
                .map(File::getName).sorted();
    }

    /** Overrides that keep each experiment's run short without changing what it computes per task. */
    private static List<String> shortened(String experiment) {
        List<String> o = new ArrayList<>(List.of("meta-train.iterations=3", "meta-train.init-from=\"\"",
                "meta-train.checkpoint-every=1000"));
        switch (experiment) {
            case "sine-regression" -> o.add("sine-regression.meta-test.steps=5");
            case "sine-frequency" -> o.add("sine-frequency.meta-test.steps=3");
            case "mnist-binary", "mnist-10class" -> o.addAll(List.of(experiment + ".tasks-per-iteration=4",
                    experiment + ".meta-test.steps=3", experiment + ".meta-test.runs=1",
                    experiment + ".meta-test.eval-examples=20", "meta-train.tasks-per-spark-task=2"));
            case "goal-reaching" -> o.addAll(List.of(experiment + ".dynamics.fit.epochs=3",
                    experiment + ".meta-test.steps=2", experiment + ".meta-test.targets.drawn=1"));
            case "goal-demonstrations" -> o.addAll(List.of(experiment + ".cloning.steps=20",
                    experiment + ".meta-test.steps=2", experiment + ".meta-test.targets.drawn=1"));
            case "model-free" -> o.addAll(List.of(experiment + ".meta-test.targets.drawn=1",
                    experiment + ".meta-test.seeds=1", experiment + ".meta-test.architectures=\"1x32\"",
                    experiment + ".meta-test.ppo-rollouts=1", experiment + ".ppo.epochs=1"));
            // Every table config runs on a small synthetic table of its kind (a real family's data are not in CI).
            case "table-regression" -> o.addAll(onTable(experiment, table("lines", new OutlierLines(2, 64, 0.1, 0.1, 5))));
            case "table-classification" -> o.addAll(onTable(experiment, table("classes", new FlippedLabels(2, 64, 2, 0.2))));
            default -> { }
        }
        return o;
    }

    private static List<String> onTable(String experiment, Path table) {
        return List.of(experiment + ".table.path=\"" + table + "\"", experiment + ".table.format=parquet",
                experiment + ".table.task-id=task_id", experiment + ".table.features=null",
                experiment + ".table.feature-prefix=x_", experiment + ".table.label=y", experiment + ".meta-test.tasks=4",
                experiment + ".meta-test.steps=5");
    }

    private static final Map<String, Path> tables = new TreeMap<>();

    /** A small synthetic task table (60 tasks of {@code family}, seed 3), written once per name. */
    private static synchronized Path table(String name, TaskFamily family) {
        return tables.computeIfAbsent(name, n -> {
            try {
                Path path = Files.createTempDirectory("fingerprint-table").resolve(n);
                TaskFamilyTable.write(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), family, 3, 60, 2,
                        path.toString());
                return path;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Map<String, String> golden() throws IOException {
        Map<String, String> g = new TreeMap<>();
        try (InputStream in = ExperimentFingerprintTest.class.getResourceAsStream(GOLDEN)) {
            assertNotNull(in, GOLDEN + " missing from the test resources");
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.startsWith("#") && !line.isBlank()) {
                    String[] f = line.split("\t");
                    g.put(f[0], f[1]);
                }
            }
        }
        return g;
    }

    @ParameterizedTest
    @MethodSource("configs")
    void threeIterationsAndAShortMetaTestAreBitIdenticalToTheRecordedFingerprint(String config) throws Exception {
        File file = new File("../conf", config);
        String experiment = RunConfig.load(file, List.of()).experiment().name();
        RunConfig cfg = RunConfig.load(file, shortened(experiment));
        Experiment exp = cfg.experiment();
        ExperimentRefresh refits = null;
        if (exp instanceof ModelBasedExperiment modelBased) {
            refits = new ModelRefits(sc, RunDirectory.open(Files.createTempDirectory("fingerprint").toString(),
                    sc.hadoopConfiguration()), "fingerprint", cfg.seed(), cfg.backend(), modelBased, System.out);
        }
        TaskPlacement placement = null;
        if (exp instanceof TableExperiment table) {
            RunTable read = RunTable.read(sc, table, System.out);
            exp = read.experiment();
            placement = read.placement();
        }
        List<Double> losses = new ArrayList<>();
        TrainingState end = new MetaTrainer(sc, exp, cfg.backend(), cfg.seed(), cfg.metaTrain(), refits, placement)
                .train(MetaTrainer.initial(exp.initialPhi(JvmBackend.INSTANCE, cfg.seed())),
                        (it, g, applied, seconds) -> losses.add(g.tasks() > 0 ? g.meanTaskLoss() : Double.NaN), s -> { });
        Fingerprint f = new Fingerprint();
        f.add(end.phi());
        if (end.best() != null) {
            f.add(end.best().phi());
            f.add(new double[] {end.best().iteration(), end.best().taskLoss()});
        }
        f.add(losses.stream().mapToDouble(Double::doubleValue).toArray());
        if (refits != null) {
            exp = refits.refreshed(0, end.phi(), exp);
        }
        for (MetaTestResult r : MetaTestJob.report(sc, exp, cfg.backend(), end.phi(), cfg.seed()).results()) {
            if (r.metric().equals(ModelFreeExperiment.SECONDS_PER_STEP)) {
                continue;
            }
            f.add(r.finalLearned());
            f.add(r.finalBaseline());
        }
        String hash = f.hex();
        computed.put(config, hash);
        assertEquals(golden().get(config), hash, config + ": the numbers moved (see the class comment)");
    }

    /** SHA-256 over the exact bits of doubles, little-endian. */
    private static final class Fingerprint {
        private final MessageDigest sha;

        Fingerprint() throws NoSuchAlgorithmException {
            sha = MessageDigest.getInstance("SHA-256");
        }

        void add(double[] values) {
            ByteBuffer b = ByteBuffer.allocate(8 * values.length + 8).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(values.length);
            for (double v : values) {
                b.putDouble(v);
            }
            sha.update(b.array());
        }

        String hex() {
            return HexFormat.of().formatHex(sha.digest());
        }
    }
}
