package io.ml3spark.driver.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ml3spark.dl4j.LearnedLossFunction;
import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.driver.data.HadoopDataOpener;
import io.ml3spark.driver.dl4j.ClassificationData;
import io.ml3spark.driver.dl4j.ClassifierNetworks;
import io.ml3spark.driver.dl4j.ClassifierTraining;
import io.ml3spark.driver.run.NonFiniteResultError;
import io.ml3spark.driver.run.Plots;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.driver.run.RunDirectoryError;
import io.ml3spark.driver.run.RunLock;
import io.ml3spark.driver.table.TaskTable;
import io.ml3spark.experiments.Figure;
import io.ml3spark.experiments.table.SupervisedTableExperiment;
import io.ml3spark.experiments.table.TableTask;
import io.ml3spark.experiments.table.TableTaskKind;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.impl.LossMCXENT;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code train-model}: a DL4J classifier trained on Spark with a learned loss (DL4J's parameter
 * averaging), and optionally the same network, data, steps and learning rate with DL4J's own
 * negative log-likelihood beside it.
 */
@Command(name = "train-model", mixinStandardHelpOptions = true,
        description = "Train a DL4J classifier on Spark with a learned loss (and with --baseline nll, the same network"
                + " with DL4J's negative log-likelihood); writes model.zip, metrics.csv, evaluation.json and plots.")
public final class TrainModelCommand implements Callable<Integer> {
    static final String NLL = "nll";

    @Option(names = "--loss", required = true, paramLabel = "FILE|nll",
            description = "A learned-loss file (any Hadoop path), or nll for DL4J's own negative log-likelihood.")
    String loss;

    @Option(names = "--baseline", paramLabel = "nll", description = "Also train with DL4J's negative log-likelihood.")
    String baseline;

    @Option(names = "--data", paramLabel = "SET",
            description = "mnist (default), uci-digits, idx:IMAGES,LABELS, csv:PATH, or table:CONFIG (one task of a"
                    + " table-classification config's table, named by --task).")
    String data = "mnist";

    @Option(names = "--task", paramLabel = "ID", description = "With --data table:CONFIG: the task whose rows to train and test on.")
    String task;

    @Option(names = "--model", paramLabel = "NAME", description = "mlp (default) or lenet (28x28 images).")
    String model = "mlp";

    @Option(names = "--hidden", split = ",", paramLabel = "N", description = "Hidden layer widths of the mlp (default: 100).")
    List<Integer> hidden = List.of(100);

    @Option(names = "--epochs", description = "Passes over the training examples (default: 5).")
    int epochs = 5;

    @Option(names = "--learning-rate", description = "SGD learning rate (default: 0.1).")
    double learningRate = 0.1;

    @Option(names = "--batch-size", description = "Examples per minibatch (default: 32).")
    int batchSize = 32;

    @Option(names = "--averaging-frequency", description = "Minibatches each worker fits between parameter averages (default: 5).")
    int averagingFrequency = 5;

    @Option(names = "--test-fraction", description = "Share of the examples held out for testing (default: 0.2).")
    double testFraction = 0.2;

    @Option(names = "--seed", description = "Seed of the data order and the networks' initialisation (default: 0).")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "A new directory for the results (any Hadoop path).")
    String out;

    @Mixin
    SparkOptions spark = new SparkOptions();

    private void check() {
        if (baseline != null && !baseline.equals(NLL)) {
            throw new ConfigError("--baseline: only nll, got '" + baseline + "'");
        }
        if (!ClassifierNetworks.NAMES.contains(model)) {
            throw new ConfigError("--model: one of " + ClassifierNetworks.NAMES + ", got '" + model + "'");
        }
        for (int h : hidden) {
            if (h < 1 || h > 1 << 16) {
                throw new ConfigError("--hidden: layer widths in [1, 65536], got " + h);
            }
        }
        if (epochs < 1 || epochs > 10_000) {
            throw new ConfigError("--epochs: in [1, 10000], got " + epochs);
        }
        if (!(learningRate > 0 && Double.isFinite(learningRate))) {
            throw new ConfigError("--learning-rate: a positive number, got " + learningRate);
        }
        if (batchSize < 1 || averagingFrequency < 1) {
            throw new ConfigError("--batch-size and --averaging-frequency: at least 1, got " + batchSize + " and "
                    + averagingFrequency);
        }
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new ConfigError("--test-fraction: in (0, 1), got " + testFraction);
        }
    }

    @Override
    public Integer call() throws IOException {
        check();
        try (JavaSparkContext sc = spark.start("ml3 train-model " + model + " on " + data)) {
            ClassificationData all;
            try {
                all = (data.startsWith(TABLE) ? tableTask(sc) : ClassificationData.read(HadoopDataOpener.fromSparkConf(),
                        data)).shuffled(seed);
            } catch (ConfigError e) {
                throw e;
            } catch (IllegalArgumentException | IOException e) {
                throw new ConfigError("--data: " + e.getMessage());
            }
            int test = (int) Math.round(all.count() * testFraction);
            if (test < 1 || all.count() - test < batchSize) {
                throw new ConfigError("--data: " + all.count() + " examples leave " + test + " to test and "
                        + (all.count() - test) + " to train, fewer than a minibatch of " + batchSize);
            }
            Map<String, ClassifierNetworks.Head> heads = new LinkedHashMap<>();
            if (loss.equals(NLL)) {
                heads.put(NLL, new ClassifierNetworks.Head(new LossMCXENT(), Activation.SOFTMAX));
            } else {
                LearnedLossFunction learned = LearnedLossFunction.fromFile(RunDirectory.read(loss, sc.hadoopConfiguration()), loss);
                heads.put("learned-loss", new ClassifierNetworks.Head(learned,
                        learned.prediction() == LearnedLossFunction.Prediction.LOG_SOFTMAX ? Activation.IDENTITY : Activation.SOFTMAX));
            }
            if (baseline != null && !heads.containsKey(NLL)) {
                heads.put(NLL, new ClassifierNetworks.Head(new LossMCXENT(), Activation.SOFTMAX));
            }
            RunDirectory dir = RunDirectory.open(out, sc.hadoopConfiguration());
            if (!dir.visibleEntries().isEmpty()) {
                throw new RunDirectoryError(dir.uri() + " is not empty: train-model writes into a new directory");
            }
            int[] widths = hidden.stream().mapToInt(Integer::intValue).toArray();
            System.out.printf("[train-model] %s on %s: %d training and %d test examples (%dx%d), %d epochs, lr %s, batch %d,"
                            + " Spark %s%n", model, data, all.count() - test, test, all.rows(), all.cols(), epochs,
                    learningRate, batchSize, sc.master());
            Map<String, ClassifierTraining.Result> results = new LinkedHashMap<>();
            try (RunLock lock = RunLock.acquire(dir, "train-model", System.out)) {
                for (Map.Entry<String, ClassifierNetworks.Head> h : heads.entrySet()) {
                    org.deeplearning4j.nn.conf.MultiLayerConfiguration conf;
                    try {
                        conf = ClassifierNetworks.build(model, all.rows(), all.cols(), all.classes(), widths, h.getValue(),
                                learningRate, seed);
                    } catch (IllegalArgumentException e) {
                        throw new ConfigError("--model: " + e.getMessage());
                    }
                    ClassifierTraining.Result r = ClassifierTraining.train(sc, h.getKey(), conf, h.getValue().activation(), all.minibatches(test, all.count(), batchSize),
                            all.slice(0, test), epochs, averagingFrequency, seed, System.out);
                    ClassifierTraining.Epoch last = r.last();
                    if (!Double.isFinite(last.testNll()) || !Double.isFinite(last.trainScore())) {
                        throw new NonFiniteResultError(h.getKey() + ": training diverged (train score " + last.trainScore()
                                + ", test nll " + last.testNll() + "); lower --learning-rate");
                    }
                    ByteArrayOutputStream zip = new ByteArrayOutputStream();
                    ModelSerializer.writeModel(r.network(), zip, false);
                    dir.write(h.getKey() + "/model.zip", zip.toByteArray());
                    dir.write(h.getKey() + "/metrics.csv", r.metricsCsv());
                    results.put(h.getKey(), r);
                }
                dir.write("evaluation.json", evaluationJson(results));
                dir.write("test-accuracy.png", Plots.figure(curves(results, true)));
                dir.write("test-nll.png", Plots.figure(curves(results, false)));
            }
            for (Map.Entry<String, ClassifierTraining.Result> r : results.entrySet()) {
                System.out.printf("[train-model] %s: test accuracy %.4f, test nll %.4f after %d epochs%n", r.getKey(),
                        r.getValue().last().testAccuracy(), r.getValue().last().testNll(), epochs);
            }
            System.out.println("[train-model] wrote " + dir.uri());
        }
        return 0;
    }

    private static final String TABLE = "table:";

    /**
     * The rows of task {@code --task} of the table a table-classification config reads, its
     * features standardised as its meta-training did (the meta-train tasks' scaling).
     */
    private ClassificationData tableTask(JavaSparkContext sc) {
        File config = new File(data.substring(TABLE.length()));
        if (task == null) {
            throw new ConfigError("--data " + data + " trains on one task of the table: name it with --task ID");
        }
        if (!(RunConfig.load(config, List.of()).experiment() instanceof SupervisedTableExperiment e)
                || e.kind() != TableTaskKind.CLASSIFICATION) {
            throw new ConfigError("--data " + data + ": a table-classification config");
        }
        TaskTable table = TaskTable.read(SparkSession.builder().sparkContext(sc.sc()).getOrCreate(), e.setup());
        try {
            String id = task;
            List<TableTask> found = table.partitions().flatMap(p -> java.util.stream.Stream.concat(
                    p.metaTrain().stream(), p.metaTest().stream()).filter(t -> t.taskId().equals(id)).iterator()).collect();
            if (found.isEmpty()) {
                throw new ConfigError("--task " + task + ": no such task in " + e.setup().source().path());
            }
            TableTask t = found.get(0);
            double[][] rows = java.util.stream.Stream.concat(java.util.Arrays.stream(t.support()),
                    java.util.Arrays.stream(t.query())).toArray(double[][]::new);
            return ClassificationData.ofTableRows(rows, table.scaling(), e.setup().classes());
        } finally {
            table.release();
        }
    }

    private String evaluationJson(Map<String, ClassifierTraining.Result> results) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        root.put("model", model);
        ArrayNode widths = root.putArray("hidden");
        hidden.forEach(widths::add);
        root.put("data", data);
        root.put("loss", loss);
        root.put("epochs", epochs);
        root.put("learning_rate", learningRate);
        root.put("batch_size", batchSize);
        root.put("averaging_frequency", averagingFrequency);
        root.put("test_fraction", testFraction);
        root.put("seed", seed);
        ObjectNode byLoss = root.putObject("results");
        results.forEach((name, r) -> {
            ObjectNode n = byLoss.putObject(name);
            n.put("test_accuracy", r.last().testAccuracy());
            n.put("test_nll", r.last().testNll());
            n.put("train_score", r.last().trainScore());
            n.put("seconds", r.last().seconds());
        });
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Figure curves(Map<String, ClassifierTraining.Result> results, boolean accuracy) {
        List<Figure.Series> series = new ArrayList<>();
        results.forEach((name, r) -> {
            double[] x = r.epochs().stream().mapToDouble(ClassifierTraining.Epoch::epoch).toArray();
            double[] y = r.epochs().stream().mapToDouble(e -> accuracy ? e.testAccuracy() : e.testNll()).toArray();
            series.add(new Figure.Series(name.equals(NLL) ? "DL4J negative log-likelihood" : "learned loss (" + loss + ")",
                    x, y));
        });
        String metric = accuracy ? "test accuracy" : "test negative log-likelihood";
        return new Figure(accuracy ? "test-accuracy" : "test-nll", model + " on " + data + ": " + metric, "epoch", metric,
                series);
    }
}
