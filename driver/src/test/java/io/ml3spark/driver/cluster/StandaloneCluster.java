package io.ml3spark.driver.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Spark standalone cluster on 127.0.0.1: a {@code Master} and {@code Worker}s, each a
 * separate JVM started from the Spark home's jars on free ports, as {@code start-master.sh}
 * and {@code start-worker.sh} would. Closing it kills every process it started, executors included.
 */
public final class StandaloneCluster implements AutoCloseable {
    private final List<LaunchedProcess> processes = new ArrayList<>();
    private final int masterPort;
    private final int masterWebUiPort;
    private final Path logDir;

    private StandaloneCluster(Path logDir) {
        this.logDir = logDir;
        this.masterPort = FreePorts.next();
        this.masterWebUiPort = FreePorts.next();
    }

    /** Starts a master and {@code workers} workers of {@code coresPerWorker} cores and {@code memory} each; waits until all registered. */
    public static StandaloneCluster start(Path dir, int workers, int coresPerWorker, String memory, Duration timeout)
            throws IOException, InterruptedException {
        StandaloneCluster c = new StandaloneCluster(dir.resolve("logs"));
        try {
            c.processes.add(LaunchedProcess.start("master", SparkHome.javaCommand("org.apache.spark.deploy.master.Master",
                    List.of("--host", "127.0.0.1", "--port", String.valueOf(c.masterPort),
                            "--webui-port", String.valueOf(c.masterWebUiPort))), c.logDir));
            for (int i = 0; i < workers; i++) {
                c.processes.add(LaunchedProcess.start("worker-" + i, SparkHome.javaCommand("org.apache.spark.deploy.worker.Worker",
                        List.of("--host", "127.0.0.1", "--port", String.valueOf(FreePorts.next()),
                                "--webui-port", String.valueOf(FreePorts.next()),
                                "--cores", String.valueOf(coresPerWorker), "--memory", memory,
                                "--work-dir", dir.resolve("work-" + i).toString(), c.masterUrl())), c.logDir));
            }
            c.awaitAliveWorkers(workers, timeout);
            return c;
        } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
            c.close();
            throw e;
        }
    }

    public String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    public Path logDir() {
        return logDir;
    }

    /** The master's state as its web UI serves it ({@code /json}). */
    public JsonNode masterState() throws IOException, InterruptedException {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + masterWebUiPort + "/json/"))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(r.body());
    }

    private void awaitAliveWorkers(int workers, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            for (LaunchedProcess p : processes) {
                if (!p.isAlive()) {
                    throw new AssertionError("a standalone daemon exited; its log ends:\n" + p.tail(40));
                }
            }
            try {
                JsonNode state = masterState();
                last = state.path("aliveworkers").asText();
                if (state.path("aliveworkers").asInt() == workers) {
                    return;
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError(workers + " workers did not register with " + masterUrl() + " within " + timeout
                + " (last: " + last + "); master log ends:\n" + processes.get(0).tail(40));
    }

    @Override
    public void close() {
        // Workers (and their executors) first, so the master does not reschedule anything.
        for (int i = processes.size() - 1; i >= 0; i--) {
            processes.get(i).close();
        }
    }
}
