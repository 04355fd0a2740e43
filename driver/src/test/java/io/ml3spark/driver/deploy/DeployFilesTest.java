package io.ml3spark.driver.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.ml3spark.driver.Ml3;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** What can be checked of deploy/ without a cluster: generated commands, the DAG, the manifests, the images. */
class DeployFilesTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Path DEPLOY = REPO.resolve("deploy");

    @TempDir
    Path tmp;

    record Result(int exit, String out) {
    }

    private Result run(Map<String, String> env, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(REPO.toFile()).redirectErrorStream(true);
        pb.environment().remove("SPARK_HOME");
        pb.environment().remove("CUDA_VISIBLE_DEVICES");
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", command) + " did not finish");
        return new Result(p.exitValue(), out.strip());
    }

    private static String defaultsAsConf() throws IOException {
        return asConf("conf/spark-defaults.conf") + " " + asConf("conf/spark-security.conf");
    }

    private static String asConf(String file) throws IOException {
        List<String> conf = new ArrayList<>();
        for (String line : Files.readAllLines(REPO.resolve(file))) {
            if (!line.isBlank() && !line.startsWith("#")) {
                String[] kv = line.trim().split("\\s+", 2);
                conf.add("--conf " + kv[0] + "=" + kv[1]);
            }
        }
        return String.join(" ", conf);
    }

    @Test
    void yarnShipsEveryFileAConfigIncludes() throws Exception {
        Result r = run(Map.of(), "deploy/submit-yarn.sh", "--print", "conf/sine-frequency-unshaped-robust.conf",
                "hdfs:///ml3/runs/f");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains(" --files conf/sine-frequency-unshaped-robust.conf,conf/sine-frequency-shaped-robust.conf,"
                + "conf/sine-frequency-shaped.conf," + REPO + "/conf/log4j2.properties "), r.out());
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("yarn-include");
        java.nio.file.Files.writeString(dir.resolve("a.conf"), "include \"missing.conf\"\n");
        Result missing = run(Map.of(), "deploy/submit-yarn.sh", "--print", dir.resolve("a.conf").toString(), "out");
        assertEquals(2, missing.exit(), missing.out());
        assertTrue(missing.out().contains("error: config file not found: " + dir + "/missing.conf"), missing.out());
    }

    @Test
    void yarnScriptPrintsAClusterModeSubmitThatShipsTheConfigAndLogSettings() throws Exception {
        Result r = run(Map.of("SPARK_HOME", "/opt/spark"), "deploy/submit-yarn.sh", "--print", "--executors", "4",
                "conf/sine-regression.conf", "hdfs:///ml3/runs/sine", "--set", "seed=3");
        assertEquals(0, r.exit(), r.out());
        assertEquals("/opt/spark/bin/spark-submit --master yarn --deploy-mode cluster --queue default"
                + " --name ml3-sine-regression --num-executors 4 --executor-cores 1 --executor-memory 2g --driver-memory 2g "
                + defaultsAsConf()
                + " --files conf/sine-regression.conf," + REPO + "/conf/log4j2.properties"
                + " --conf 'spark.driver.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties"
                + " --add-modules=jdk.incubator.vector'"
                + " --conf 'spark.executor.extraJavaOptions=-Dlog4j2.configurationFile=log4j2.properties"
                + " --add-modules=jdk.incubator.vector'"
                + " --class io.ml3spark.driver.Ml3 " + REPO + "/driver/target/ml3-spark.jar"
                + " train --config sine-regression.conf --out hdfs:///ml3/runs/sine --set seed=3 --continue", r.out());
    }

    private static final List<String> SECURITY = List.of("spark.authenticate", "spark.network.crypto.enabled",
            "spark.io.encryption.enabled");

    @Test
    void everyDeployPathTurnsOnSparksSecurityUnlessTheUserOptsOut() throws Exception {
        String[] k8s = {"deploy/submit-k8s.sh", "--print", "--api", "https://10.1.2.3:6443", "--image", "reg/ml3:1"};
        for (String[] script : new String[][] {{"deploy/submit-yarn.sh", "--print"}, k8s}) {
            List<String> on = new ArrayList<>(List.of(script));
            on.addAll(List.of("conf/sine-regression.conf", "hdfs:///r"));
            Result secured = run(Map.of(), on.toArray(String[]::new));
            assertEquals(0, secured.exit(), secured.out());
            for (String key : SECURITY) {
                assertTrue(secured.out().contains(" --conf " + key + "=true "), script[0] + ": " + secured.out());
            }
            List<String> off = new ArrayList<>(List.of(script));
            off.addAll(List.of("--no-spark-security", "conf/sine-regression.conf", "hdfs:///r"));
            Result open = run(Map.of(), off.toArray(String[]::new));
            assertEquals(0, open.exit(), open.out());
            for (String key : SECURITY) {
                assertFalse(open.out().contains(key), script[0] + ": " + open.out());
            }
        }
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        for (String manifest : List.of("k8s/ml3-sine.yaml", "k8s/ml3-sine-gpu.yaml")) {
            JsonNode conf = yaml.readTree(DEPLOY.resolve(manifest).toFile()).path("spec").path("sparkConf");
            for (String key : SECURITY) {
                assertEquals("true", conf.path(key).asText(), manifest + ": " + key);
            }
        }
        String dag = Files.readString(DEPLOY.resolve("airflow/ml3_sweep_dag.py"));
        assertTrue(dag.contains("SPARK_SECURITY = setting(\"ML3_SPARK_SECURITY\", \"on\")"), "the DAG's default is on");
        for (String key : SECURITY) {
            assertTrue(dag.contains("\"" + key + "\": \"true\""), "the DAG sets " + key);
        }
    }

    @Test
    void aRetriedDriverContinuesItsRunUnlessTheUserAskedToOverwrite() throws Exception {
        String[] k8s = {"deploy/submit-k8s.sh", "--print", "--api", "https://10.1.2.3:6443", "--image", "reg/ml3:1"};
        for (String[] script : new String[][] {{"deploy/submit-yarn.sh", "--print"}, k8s}) {
            String[][] cases = {
                {" --out s3a://b/run --continue", null},
                {" --out s3a://b/run --set seed=1 --continue", "--set", "seed=1"},
                {" --out s3a://b/run --continue --set seed=1", "--continue", "--set", "seed=1"},
                {" --out s3a://b/run --overwrite", "--overwrite"},
            };
            for (String[] c : cases) {
                List<String> args = new ArrayList<>(List.of(script));
                args.addAll(List.of("conf/sine-regression.conf", "s3a://b/run"));
                if (c[1] != null) {
                    args.addAll(List.of(c).subList(1, c.length));
                }
                Result r = run(Map.of(), args.toArray(String[]::new));
                assertEquals(0, r.exit(), r.out());
                assertTrue(r.out().trim().endsWith(c[0]), script[0] + " " + args + ": " + r.out());
            }
        }
    }

    @Test
    void gpuOptionsRequestSparkGpuSchedulingWithTheDiscoveryScript() throws Exception {
        String yarn = run(Map.of(), "deploy/submit-yarn.sh", "--print", "--gpus", "2", "--conf", "spark.x=a b",
                "conf/sine-regression.conf", "hdfs:///r").out();
        assertTrue(yarn.startsWith("spark-submit --master yarn "), yarn);
        assertTrue(yarn.contains(" --conf spark.executor.resource.gpu.amount=2 --conf spark.task.resource.gpu.amount=1"
                + " --conf spark.executor.resource.gpu.discoveryScript=./discover-gpus.sh "), yarn);
        assertTrue(yarn.contains("," + DEPLOY + "/discover-gpus.sh "), "the script is shipped with --files: " + yarn);
        assertTrue(yarn.contains(" --conf 'spark.x=a b' "), "arguments with spaces are quoted: " + yarn);

        Result k8s = run(Map.of(), "deploy/submit-k8s.sh", "--print", "--api", "https://10.1.2.3:6443", "--image",
                "reg/ml3:cuda", "--gpus", "1", "--namespace", "ml", "conf/sine-regression.conf", "s3a://b/run",
                "--set", "backend=auto");
        assertEquals(0, k8s.exit(), k8s.out());
        assertTrue(k8s.out().startsWith("spark-submit --master k8s://https://10.1.2.3:6443 --deploy-mode cluster "), k8s.out());
        for (String part : List.of("--conf spark.executor.resource.gpu.amount=1",
                "--conf spark.executor.resource.gpu.discoveryScript=/opt/ml3/deploy/discover-gpus.sh",
                "--conf spark.executor.resource.gpu.vendor=nvidia.com", "--conf spark.kubernetes.container.image=reg/ml3:cuda",
                "--conf spark.kubernetes.namespace=ml",
                "--class io.ml3spark.driver.Ml3 local:///opt/ml3/ml3-spark.jar train --config /opt/ml3/conf/sine-regression.conf"
                        + " --out s3a://b/run --set backend=auto")) {
            assertTrue(k8s.out().contains(part), part + " in " + k8s.out());
        }
    }

    @Test
    void k8sScriptWithoutApiServerOrImageFailsWithUsage() throws Exception {
        Result r = run(Map.of(), "deploy/submit-k8s.sh", "--print", "conf/sine-regression.conf", "s3a://b/run");
        assertEquals(2, r.exit());
        assertTrue(r.out().startsWith("error: --api and --image are required"), r.out());
        Result bad = run(Map.of(), "deploy/submit-yarn.sh", "--print", "--gpus", "two", "c.conf", "out");
        assertEquals(2, bad.exit());
        assertTrue(bad.out().contains("--gpus expects a number"), bad.out());
    }

    @Test
    void gpuDiscoveryListsNvidiaSmiIndicesOrTheVisibleCudaDevices() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path smi = bin.resolve("nvidia-smi");
        Files.writeString(smi, "#!/bin/sh\nprintf '0\\n1\\n2\\n'\n");
        Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
        String path = bin + ":" + System.getenv("PATH");
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\",\"2\"]}",
                run(Map.of("PATH", path), "deploy/discover-gpus.sh").out());
        assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}",
                run(Map.of("PATH", path, "CUDA_VISIBLE_DEVICES", "3,GPU-5d2f"), "deploy/discover-gpus.sh").out());
        Result none = run(Map.of("PATH", "/usr/bin:/bin"), "deploy/discover-gpus.sh");
        assumeTrue(!Files.exists(Path.of("/usr/bin/nvidia-smi")), "this machine has nvidia-smi");
        assertEquals(1, none.exit());
        assertTrue(none.out().contains("no GPU found"), none.out());
    }

    @Test
    void airflowDagCompilesAndTheGridExpandsAsTheHoconGridReadsIt() throws Exception {
        assumeTrue(run(Map.of(), "sh", "-c", "command -v python3").exit() == 0, "python3 not installed");
        Path airflow = DEPLOY.resolve("airflow");
        Result compiled = run(Map.of("PYTHONDONTWRITEBYTECODE", "1"), "python3", "-c",
                "import py_compile,sys; [py_compile.compile(f, cfile=sys.argv[1] + '/c.pyc', doraise=True) for f in sys.argv[2:]]",
                tmp.toString(), airflow.resolve("ml3_sweep_dag.py").toString(), airflow.resolve("ml3_grid.py").toString());
        assertEquals(0, compiled.exit(), compiled.out());

        Path gridFile = airflow.resolve("sine-seeds.grid.conf");
        Result expanded = run(Map.of("PYTHONDONTWRITEBYTECODE", "1"), "python3", airflow.resolve("ml3_grid.py").toString(),
                gridFile.toString());
        assertEquals(0, expanded.exit(), expanded.out());
        List<String> runs = expanded.out().lines().toList();

        // The same grid as HOCON (Typesafe Config, as the driver reads configs): paths and run count agree.
        Config grid = ConfigFactory.parseFile(gridFile.toFile()).getConfig("grid");
        int product = 1;
        Set<String> paths = new HashSet<>();
        for (Map.Entry<String, ConfigValue> e : grid.entrySet()) {
            product *= grid.getList(e.getKey()).size();
            paths.add(String.join(".", ConfigUtil.splitPath(e.getKey())));
        }
        assertEquals(product, runs.size(), expanded.out());
        assertEquals(Set.of("seed", "meta-train.iterations"), paths);
        assertEquals("seed0_meta-train.iterations500 --set seed=0 --set meta-train.iterations=500", runs.get(0));
        assertEquals("seed4_meta-train.iterations500 --set seed=4 --set meta-train.iterations=500", runs.get(4));
    }

    @Test
    void sparkApplicationManifestsParseAndPointIntoTheImage() throws Exception {
        ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
        List<Path> manifests;
        try (Stream<Path> files = Files.list(DEPLOY.resolve("k8s"))) {
            manifests = files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList();
        }
        assertEquals(2, manifests.size(), manifests.toString());
        String dockerfile = Files.readString(DEPLOY.resolve("Dockerfile"));
        for (Path manifest : manifests) {
            JsonNode app = yaml.readTree(manifest.toFile());
            assertEquals("sparkoperator.k8s.io/v1beta2", app.path("apiVersion").asText(), manifest.toString());
            assertEquals("SparkApplication", app.path("kind").asText());
            JsonNode spec = app.path("spec");
            assertEquals(Ml3.class.getName(), spec.path("mainClass").asText());
            assertEquals("local:///opt/ml3/ml3-spark.jar", spec.path("mainApplicationFile").asText());
            assertTrue(dockerfile.contains("COPY driver/target/ml3-spark.jar /opt/ml3/ml3-spark.jar"));
            List<String> args = new ArrayList<>();
            spec.path("arguments").forEach(a -> args.add(a.asText()));
            assertEquals("train", args.get(0));
            assertTrue(args.contains("--continue") || !app.path("spec").path("restartPolicy").path("type").asText().equals("OnFailure"),
                    manifest + ": a restarted driver must take up its own run (--continue): " + args);
            String config = args.get(args.indexOf("--config") + 1);
            assertTrue(config.startsWith("/opt/ml3/conf/") && Files.isRegularFile(REPO.resolve(config.substring("/opt/ml3/".length()))),
                    manifest + ": config " + config + " is not a file of conf/ (copied to /opt/ml3/conf/)");
            assertTrue(spec.path("sparkVersion").asText().startsWith("3.5."));
            assertTrue(spec.path("executor").path("instances").asInt() >= 1);
        }
        JsonNode gpu = yaml.readTree(DEPLOY.resolve("k8s/ml3-sine-gpu.yaml").toFile()).path("spec");
        assertEquals("nvidia.com/gpu", gpu.path("executor").path("gpu").path("name").asText());
        assertEquals("/opt/ml3/deploy/discover-gpus.sh",
                gpu.path("sparkConf").path("spark.executor.resource.gpu.discoveryScript").asText());
    }

    @Test
    void dockerfilesBuildOnAJava17SparkImageFromFilesOfTheRepository() throws IOException {
        for (String name : List.of("Dockerfile", "Dockerfile.cuda")) {
            List<String> lines = Files.readAllLines(DEPLOY.resolve(name));
            assertTrue(lines.stream().anyMatch(l -> l.matches("ARG SPARK_IMAGE=apache/spark:3\\.5\\.\\d+-scala2\\.12-java17-ubuntu")),
                    name + " builds on the official Spark 3.5 / Java 17 image");
            for (String line : lines) {
                if (line.startsWith("COPY ") && !line.startsWith("COPY --from")) {
                    String[] parts = line.split("\\s+");
                    for (String source : Arrays.asList(parts).subList(1, parts.length - 1)) {
                        Path file = REPO.resolve(source);
                        assertTrue(Files.exists(file) || source.equals("driver/target/ml3-spark.jar"),
                                name + ": " + source + " is not in the repository");
                    }
                }
            }
        }
    }
}
