package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.sine.SineRegression;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.tensor.backend.JvmBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Non-finite results are failures: nothing NaN or absurd is written as a learned loss or a meta-test result. */
class NonFiniteResultTest {
    @TempDir
    Path tmp;

    private final StringWriter err = new StringWriter();

    private int ml3(String... args) {
        err.getBuffer().setLength(0);
        return Ml3.execute(new PrintWriter(err, true), args);
    }

    private String errorLine() {
        String message = err.toString().trim();
        assertEquals(1, message.lines().count(), message);
        return message;
    }

    private Path lossFile(String name, double fill) throws IOException {
        SineRegression sine = (SineRegression) RunConfig.load(new File("../conf/sine-regression.conf"), List.of()).experiment();
        double[] phi = sine.initialPhi(JvmBackend.INSTANCE, 0);
        Arrays.fill(phi, fill);
        Path file = tmp.resolve(name);
        Files.write(file, LearnedLossFile.encode(new LearnedLossFile.Contents(sine.learnedLoss(), phi, sine.name(), 0, 1)));
        return file;
    }

    @Test
    void initFromANonFiniteFileIsAConfigErrorAndLeavesNothing() throws IOException {
        Path nan = lossFile("nan.safetensors", Double.NaN);
        Path out = tmp.resolve("run");
        assertEquals(2, ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", out.toString(), "--set",
                "meta-train.init-from=\"" + nan + "\"")));
        assertTrue(errorLine().startsWith("error: meta-train.init-from: corrupt file " + nan + ": "), err.toString());
        assertTrue(err.toString().contains("parameters are not finite"), err.toString());
        assertFalse(Files.exists(out));
    }

    @Test
    void aDivergingMetaTrainingFailsWithoutWritingALearnedLoss() {
        Path out = tmp.resolve("run");
        assertEquals(1, ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", out.toString(), "--set",
                "meta-train.iterations=3", "--set", "meta-train.adam.learning-rate=1e300")));
        assertTrue(errorLine().startsWith("error: meta-training diverged: "), err.toString());
        assertFalse(Files.exists(out.resolve(TrainingRun.LOSS_FILE)));
        assertTrue(Files.exists(out.resolve("metrics.csv")), "the run's record stays for the user to inspect");
    }

    @Test
    void aNonFiniteMetaTestFailsWithoutWritingEvaluationJson() throws IOException {
        Path huge = lossFile("huge.safetensors", 1e300);
        Path out = tmp.resolve("eval");
        assertEquals(1, ml3("evaluate", "--loss", huge.toString(), "--config", "../conf/sine-regression.conf",
                "--master", "local[1]", "--out", out.toString(), "--set", "sine-regression.meta-test.steps=5"));
        assertTrue(errorLine().startsWith("error: meta-test of " + huge + ": the final mse is not finite on "), err.toString());
        assertFalse(Files.exists(out.resolve("evaluation.json")));
    }
}
