package io.ml3spark.driver.run;

import io.ml3spark.driver.Ml3;
import io.ml3spark.format.LearnedLossFile;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Run directories, checkpoints and resume on a real (in-process) HDFS. */
class HdfsRunTest {
    @TempDir
    static File base;

    private static final String MNIST_IMAGES = "mnist-10k-images-idx3-ubyte.gz";
    private static final String MNIST_LABELS = "mnist-10k-labels-idx1-ubyte.gz";

    private static MiniDFSCluster hdfs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, new File(base, "dfs").getAbsolutePath());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        root = hdfs.getFileSystem().getUri() + "/runs";
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    private final StringWriter err = new StringWriter();

    private void ml3(String... args) {
        assertEquals(0, Ml3.execute(new PrintWriter(err, true), args), err.toString());
    }

    @Test
    void aLockOnHdfsExcludesASecondHolderAndIsReleased() throws IOException {
        RunDirectory dir = RunDirectory.open(root + "/locked", hdfs.getFileSystem().getConf());
        java.io.PrintStream quiet = new java.io.PrintStream(java.io.OutputStream.nullOutputStream());
        try (RunLock first = RunLock.acquire(dir, "train", quiet)) {
            assertTrue(dir.exists(RunLock.FILE));
            RunDirectoryError e = org.junit.jupiter.api.Assertions.assertThrows(RunDirectoryError.class,
                    () -> RunLock.acquire(dir, "sweep", quiet));
            assertTrue(e.getMessage().contains(" is locked by ml3 train (process " + ProcessHandle.current().pid() + " on "),
                    e.getMessage());
        }
        org.junit.jupiter.api.Assertions.assertFalse(dir.exists(RunLock.FILE), "released on close");
        RunLock.acquire(dir, "train", quiet).close();
    }

    @Test
    void interruptedRunOnHdfsResumesToTheSamePhiAsAnUninterruptedLocalRun() throws IOException {
        File local = new File(base, "local");
        ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", local.getPath(), "--set", "meta-train.iterations=8"));

        String run = root + "/sine";
        ml3(ResumeTest.args(ResumeTest.SETTINGS, "--out", run, "--set", "meta-train.iterations=6"));
        FileSystem fs = hdfs.getFileSystem();
        Path newest = new Path(run + "/checkpoints/iter-000006.safetensors");
        assertTrue(fs.exists(newest));
        byte[] bytes = RunDirectory.read(newest.toString(), fs.getConf());
        bytes[bytes.length - 1] ^= 1;
        try (FSDataOutputStream out = fs.create(newest, true)) {
            out.write(bytes);
        }
        ml3("train", "--resume", run, "--master", "local[2]", "--skip-evaluation", "--set", "meta-train.iterations=8");

        double[] expected = ResumeTest.phi(local.toPath());
        double[] resumed = LearnedLossFile.decode(RunDirectory.read(run + "/learned-loss.safetensors", fs.getConf()), run).phi();
        assertArrayEquals(expected, resumed);

        ml3("evaluate", "--loss", run + "/learned-loss.safetensors", "--config", "../conf/sine-regression.conf",
                "--master", "local[2]", "--set", "sine-regression.meta-test.steps=5");
        String json = new String(RunDirectory.read(run + "/evaluation.json", fs.getConf()));
        assertTrue(json.contains("\"final_mse_mean\""), json);
        assertTrue(Arrays.stream(fs.listStatus(new Path(run))).noneMatch(s -> s.getPath().getName().endsWith(".tmp")));
    }

    @Test
    void digitDataOnHdfsTrainsTheSamePhiAsTheShippedClasspathCopy() throws IOException {
        FileSystem fs = hdfs.getFileSystem();
        String data = fs.getUri() + "/data/mnist";
        for (String name : new String[] {MNIST_IMAGES, MNIST_LABELS}) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("data/mnist/" + name);
                 FSDataOutputStream out = fs.create(new Path(data, name))) {
                in.transferTo(out);
            }
        }
        File local = new File(base, "digits-classpath");
        ml3(digits("--out", local.getPath()));
        String run = root + "/digits-hdfs";
        ml3(digits("--out", run, "--set", "mnist-binary.data.images=\"" + data + "/" + MNIST_IMAGES + "\"",
                "--set", "mnist-binary.data.labels=\"" + data + "/" + MNIST_LABELS + "\""));

        double[] fromHdfs = LearnedLossFile.decode(RunDirectory.read(run + "/learned-loss.safetensors", fs.getConf()), run).phi();
        assertArrayEquals(ResumeTest.phi(local.toPath()), fromHdfs);
    }

    @Test
    void missingDigitDataOnHdfsIsAConfigErrorNamingTheFile() throws IOException {
        String missing = hdfs.getFileSystem().getUri() + "/data/none/images.gz";
        int code = Ml3.execute(new PrintWriter(err, true),
                digits("--out", new File(base, "digits-missing").getPath(), "--set", "mnist-binary.data.images=\"" + missing + "\""));
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("mnist-binary.data.images") && err.toString().contains(missing), err.toString());
    }

    private static String[] digits(String... more) {
        return ResumeTest.args(new String[] {"train", "--config", "../conf/mnist-binary-mlp.conf", "--master", "local[2]",
                "--skip-evaluation", "--set", "meta-train.iterations=2", "--set", "mnist-binary.tasks-per-iteration=8",
                "--set", "meta-train.tasks-per-spark-task=4"}, more);
    }
}
