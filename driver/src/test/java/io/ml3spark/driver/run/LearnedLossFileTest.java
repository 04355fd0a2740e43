package io.ml3spark.driver.run;

import io.ml3spark.driver.config.RunConfig;
import io.ml3spark.experiments.sine.SineRegression;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.Safetensors;
import io.ml3spark.tensor.backend.JvmBackend;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LearnedLossFileTest {
    @TempDir
    Path tmp;

    private final SineRegression sine = (SineRegression) RunConfig.load(new File("../conf/sine-regression.conf"),
            List.of()).experiment();

    private byte[] encoded() {
        double[] phi = sine.initialPhi(JvmBackend.INSTANCE, 3);
        return LearnedLossFile.encode(new LearnedLossFile.Contents(sine.learnedLoss(), phi, sine.name(), 3, 500));
    }

    @Test
    void roundTripKeepsArchitectureParametersAndProvenance() {
        double[] phi = sine.initialPhi(JvmBackend.INSTANCE, 3);
        LearnedLossFile.Contents back = LearnedLossFile.decode(encoded(), "mem");
        assertArrayEquals(phi, back.phi());
        assertEquals(sine.learnedLoss().network().toString(), back.loss().network().toString());
        assertEquals(sine.learnedLoss().input(), back.loss().input());
        assertEquals(3, back.seed());
        assertEquals(500, back.iterations());
        assertEquals("sine-regression", back.experiment());
    }

    @Test
    void truncatedFileIsReportedWithItsName() {
        byte[] full = encoded();
        RuntimeException e = assertThrows(Safetensors.CorruptFileException.class,
                () -> LearnedLossFile.decode(Arrays.copyOf(full, full.length - 100), "runs/x/learned-loss.safetensors"));
        assertTrue(e.getMessage().startsWith("corrupt file runs/x/learned-loss.safetensors"), e.getMessage());
        assertThrows(Safetensors.CorruptFileException.class, () -> LearnedLossFile.decode(new byte[5], "f"));
    }

    @Test
    void flippedDataByteFailsTheChecksum() {
        byte[] bytes = encoded();
        bytes[bytes.length - 3] ^= 0x10;
        RuntimeException e = assertThrows(Safetensors.CorruptFileException.class,
                () -> LearnedLossFile.decode(bytes, "f"));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
    }

    @Test
    void garbageHeaderIsReportedAsCorrupt() {
        byte[] bytes = encoded();
        bytes[12] = '{';
        bytes[13] = '{';
        assertThrows(Safetensors.CorruptFileException.class, () -> LearnedLossFile.decode(bytes, "f"));
    }

    @Test
    void missingFileNamesThePath() {
        String missing = tmp.resolve("absent/learned-loss.safetensors").toString();
        RunDirectoryError e = assertThrows(RunDirectoryError.class, () -> RunDirectory.read(missing, new Configuration()));
        assertTrue(e.getMessage().contains(missing), e.getMessage());
    }

    @Test
    void runDirectoryWritesWholeFilesAndReadsThemBack() {
        RunDirectory dir = RunDirectory.open(tmp.resolve("run").toString(), new Configuration());
        dir.write("a.txt", "first");
        dir.write("a.txt", "second");
        assertEquals("second", new String(RunDirectory.read(dir.uri() + "/a.txt", new Configuration())));
        String[] left = tmp.resolve("run").toFile().list();
        java.util.Arrays.sort(left);
        assertArrayEquals(new String[] {RunDirectory.WRITTEN, "a.txt"}, left, "no temporary or checksum files left");
    }
}
