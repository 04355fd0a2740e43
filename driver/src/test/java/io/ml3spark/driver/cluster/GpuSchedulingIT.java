package io.ml3spark.driver.cluster;

import io.ml3spark.driver.config.RunConfig;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spark's GPU scheduling end to end without a GPU: two executor JVMs with two GPUs each, as
 * {@code deploy/discover-gpus.sh} reports them from a fake {@code nvidia-smi}, one GPU per
 * Spark task, {@code backend = auto}. Every Spark task of the meta-training must bind the GPU
 * Spark assigned to it and compute on the nd4j backend (its executor logs each binding), and
 * the result must be the jvm backend's in {@code local[2]}.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class GpuSchedulingIT {
    private static final Pattern BINDING = Pattern.compile(
            "Spark task (\\d+) \\(stage (\\d+)\\.\\d+, partition (\\d+)\\): GPU (\\S+) -> backend (\\S+), (.*)$");

    @TempDir
    Path tmp;

    @Test
    void everySparkTaskComputesOnNd4jBoundToTheGpuSparkAssignedIt() throws Exception {
        Path discovery = fakeGpuDiscovery(tmp, 2);
        RunConfig jvm = ShortSineRun.config();
        RunConfig auto = ShortSineRun.config("backend=auto");
        ShortSineRun.Training reference = ShortSineRun.trainLocally(jvm);

        String appId;
        ShortSineRun.Training onGpus;
        try (JavaSparkContext sc = new JavaSparkContext(ShortSineRun.sparkConf("local-cluster[2,2,1024]", "GpuSchedulingIT")
                .set("spark.jars", SparkHome.appJar().toString())
                .set("spark.worker.resource.gpu.amount", "2")
                .set("spark.worker.resource.gpu.discoveryScript", discovery.toString())
                .set("spark.executor.resource.gpu.amount", "2")
                .set("spark.executor.resource.gpu.discoveryScript", discovery.toString())
                .set("spark.task.resource.gpu.amount", "1"))) {
            appId = sc.sc().applicationId();
            onGpus = ShortSineRun.train(sc, auto);
        }
        // nd4j and jvm kernels agree to ~1e-15 relative per op (the backends' own tests: 1e-10).
        ShortSineRun.assertSamePhi(reference.phi(), onGpus.phi(), 1e-9);

        Map<Long, Matcher> bindings = new HashMap<>();
        for (String line : executorLogLines(appId)) {
            Matcher m = BINDING.matcher(line);
            if (m.find()) {
                bindings.put(Long.parseLong(m.group(1)), m);
            }
        }
        int sparkTasks = ShortSineRun.ITERATIONS * 4;
        assertEquals(sparkTasks, bindings.size(), "one GPU binding per Spark task (8 ML3 tasks in Spark tasks of 2, "
                + ShortSineRun.ITERATIONS + " iterations)");
        Set<String> addresses = new HashSet<>();
        for (Matcher m : bindings.values()) {
            assertEquals("nd4j", m.group(5), "backend auto on a GPU task: " + m.group());
            assertEquals("no CUDA device (a CPU-only build)", m.group(6), m.group());
            addresses.add(m.group(4));
        }
        assertEquals(Set.of("0", "1"), addresses, "the tasks ran on both GPUs of their executors");
    }

    /** A discovery script that runs deploy/discover-gpus.sh with an nvidia-smi reporting {@code gpus} GPUs. */
    static Path fakeGpuDiscovery(Path dir, int gpus) throws IOException {
        Path bin = Files.createDirectories(dir.resolve("fake-bin"));
        StringBuilder indices = new StringBuilder();
        for (int i = 0; i < gpus; i++) {
            indices.append(i).append("\\n");
        }
        executable(bin.resolve("nvidia-smi"), "#!/bin/sh\nprintf '" + indices + "'\n");
        return executable(dir.resolve("discover-fake-gpus.sh"), "#!/bin/sh\nunset CUDA_VISIBLE_DEVICES\nPATH=\"" + bin
                + ":$PATH\" exec \"" + SparkHome.repository().resolve("deploy/discover-gpus.sh") + "\"\n");
    }

    private static Path executable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }

    /** The stderr of the application's executors, which local-cluster workers keep under $SPARK_HOME/work/APP/EXECUTOR/. */
    private static List<String> executorLogLines(String appId) throws IOException {
        Path appDir = SparkHome.dir().resolve("work").resolve(appId);
        try (Stream<Path> files = Files.walk(appDir)) {
            List<Path> logs = files.filter(p -> p.getFileName().toString().equals("stderr")).toList();
            assertEquals(2, logs.size(), "executor logs under " + appDir);
            List<String> lines = new java.util.ArrayList<>();
            for (Path log : logs) {
                lines.addAll(Files.readAllLines(log));
            }
            return lines;
        }
    }
}
