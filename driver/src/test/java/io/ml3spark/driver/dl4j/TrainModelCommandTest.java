package io.ml3spark.driver.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ml3spark.data.DataOpener;
import io.ml3spark.dl4j.LearnedLossFunction;
import io.ml3spark.driver.Ml3;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Init;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.backend.JvmBackend;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code train-model} end to end on Spark local[2]: files, their contents, the saved models, and bad input. */
class TrainModelCommandTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        err.getBuffer().setLength(0);
        return Ml3.execute(new PrintWriter(err, true), args);
    }

    private Path lossFile() throws Exception {
        LearnedLoss loss = new LearnedLoss(new Mlp(new int[] {2, 8, 1}, Activation.RELU, Activation.SOFTPLUS, true),
                LossInput.PER_CLASS_PREDICTION_TARGET);
        double[] phi = loss.initialPhi(JvmBackend.INSTANCE, new SplittableRandom(3), Init.XAVIER_UNIFORM, 0.0);
        Path file = tmp.resolve("loss.safetensors");
        Files.write(file, LearnedLossFile.encode(new LearnedLossFile.Contents(loss, phi, "mnist-10class", 0, 1)));
        return file;
    }

    @Test
    void trainsBothLossesAndWritesWhatItReports() throws Exception {
        Path loss = lossFile();
        Path out = tmp.resolve("out");
        assertEquals(0, run("train-model", "--loss", loss.toString(), "--baseline", "nll", "--data", "uci-digits",
                "--epochs", "2", "--hidden", "16", "--learning-rate", "0.05", "--master", "local[2]",
                "--out", out.toString()), err.toString());
        JsonNode eval = new ObjectMapper().readTree(out.resolve("evaluation.json").toFile());
        assertEquals("uci-digits", eval.get("data").asText());
        for (String name : List.of("learned-loss", "nll")) {
            assertEquals(3, Files.readAllLines(out.resolve(name + "/metrics.csv")).size(), name + ": header and 2 epochs");
            MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(out.resolve(name + "/model.zip").toFile());
            org.nd4j.linalg.activations.Activation head = name.equals("nll")
                    ? org.nd4j.linalg.activations.Activation.SOFTMAX : org.nd4j.linalg.activations.Activation.IDENTITY;
            // The held-out split as the command drew it: shuffled with seed 0, the first 20%.
            ClassificationData data = ClassificationData.read(DataOpener.LOCAL, "uci-digits").shuffled(0);
            double[] metrics = ClassifierTraining.accuracyAndNll(net, data.slice(0, 359), head);
            JsonNode r = eval.get("results").get(name);
            assertEquals(r.get("test_accuracy").asDouble(), metrics[0], 1e-12, name);
            assertEquals(r.get("test_nll").asDouble(), metrics[1], 1e-9, name);
        }
        OutputLayer learnedHead = (OutputLayer) ModelSerializer.restoreMultiLayerNetwork(
                out.resolve("learned-loss/model.zip").toFile()).getLayerWiseConfigurations().getConf(1).getLayer();
        assertEquals(LearnedLossFunction.fromFile(Files.readAllBytes(loss), "loss"), learnedHead.getLossFn());
        byte[] png = Files.readAllBytes(out.resolve("test-accuracy.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, java.util.Arrays.copyOf(png, 4));
        assertTrue(err.toString().isBlank(), err.toString());
    }

    @Test
    void badInputIsOneLineNamingTheOption() throws Exception {
        Path loss = lossFile();
        Path used = Files.createDirectories(tmp.resolve("used"));
        Files.writeString(used.resolve("notes.txt"), "mine");
        assertEquals(1, run("train-model", "--loss", loss.toString(), "--data", "uci-digits", "--master", "local[1]",
                "--out", used.toString()));
        assertTrue(err.toString().trim().endsWith("is not empty: train-model writes into a new directory"), err.toString());
        assertEquals("mine", Files.readString(used.resolve("notes.txt")));
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--data", "uci-digits", "--model", "lenet",
                "--master", "local[1]", "--out", tmp.resolve("a").toString()));
        assertEquals("error: --model: lenet needs images of at least 28x28, the data has 8x8 (use --model mlp)",
                err.toString().trim());
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--data", "cifar", "--out", tmp.resolve("b").toString()));
        assertTrue(err.toString().trim().startsWith("error: --data: unknown data 'cifar'"), err.toString());
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--learning-rate", "-1", "--out", tmp.resolve("c").toString()));
        assertEquals("error: --learning-rate: a positive number, got -1.0", err.toString().trim());
    }

    @Test
    void dataWithALabelOutsideTheClassesOrANonFiniteValueIsOneLineNamingFileAndRecord() throws Exception {
        Path loss = lossFile();
        Path images = tmp.resolve("images.idx");
        Path labels = tmp.resolve("labels.idx");
        java.io.ByteArrayOutputStream i = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream io = new java.io.DataOutputStream(i);
        io.writeInt(0x00000803);
        io.writeInt(3);
        io.writeInt(28);
        io.writeInt(28);
        io.write(new byte[3 * 28 * 28]);
        Files.write(images, i.toByteArray());
        Files.write(labels, new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 4, 11, 2});
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--data", "idx:" + images + "," + labels,
                "--master", "local[1]", "--out", tmp.resolve("idx").toString()));
        assertEquals(1, err.toString().trim().lines().count(), err.toString());
        assertTrue(err.toString().contains(labels + ": record 1 (counting from 0) has label 11, expected a class 0-9"),
                err.toString());
        assertFalse(Files.exists(tmp.resolve("idx/evaluation.json")));

        Path csv = tmp.resolve("digits.csv");
        String row = "0,".repeat(64) + "3\n";
        Files.writeString(csv, row + "0,".repeat(10) + "NaN," + "0,".repeat(53) + "3\n");
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--data", "csv:" + csv, "--master", "local[1]",
                "--out", tmp.resolve("csv").toString()));
        assertEquals(1, err.toString().trim().lines().count(), err.toString());
        assertTrue(err.toString().contains(csv + " line 2: value 11 is NaN, expected a finite grey level"), err.toString());
        Files.writeString(csv, row + "0,".repeat(64) + "Infinity\n");
        assertEquals(2, run("train-model", "--loss", loss.toString(), "--data", "csv:" + csv, "--master", "local[1]",
                "--out", tmp.resolve("csv2").toString()));
        assertTrue(err.toString().contains(csv + " line 2: not a number"), err.toString());
    }
}
