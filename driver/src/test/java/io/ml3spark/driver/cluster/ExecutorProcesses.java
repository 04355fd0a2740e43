package io.ml3spark.driver.cluster;

import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The executor JVMs of a running Spark application on this machine (local-cluster,
 * standalone, YARN on loopback), found by their command line: Spark starts each as
 * {@code CoarseGrainedExecutorBackend ... --executor-id N ... --app-id APP}. For fault tests
 * that kill an executor by its PID.
 */
public final class ExecutorProcesses {
    private static final String EXECUTOR_MAIN = "org.apache.spark.executor.CoarseGrainedExecutorBackend";

    /** One executor JVM. */
    public record ExecutorProcess(long pid, String executorId, String appId) {
        public Optional<ProcessHandle> handle() {
            return ProcessHandle.of(pid);
        }
    }

    private ExecutorProcesses() {
    }

    /** The live executor JVMs of application {@code appId}, by executor id. */
    public static List<ExecutorProcess> of(String appId) {
        return ProcessHandle.allProcesses()
                .filter(ProcessHandle::isAlive)
                .map(p -> parse(p.pid(), p.info().arguments().orElse(new String[0])))
                .flatMap(Optional::stream)
                .filter(e -> e.appId().equals(appId))
                .sorted(Comparator.comparing(ExecutorProcess::executorId))
                .toList();
    }

    /** Waits until {@code count} executor JVMs of {@code appId} run; fails after {@code timeout}. */
    public static List<ExecutorProcess> await(String appId, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<ExecutorProcess> found = of(appId);
        while (found.size() < count) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("expected " + count + " executor JVMs of " + appId + " within " + timeout
                        + ", found " + found);
            }
            Thread.sleep(200);
            found = of(appId);
        }
        return found;
    }

    /** Kills the executor JVM with SIGKILL (no shutdown hooks, as a crashed machine) and waits for it to be gone. */
    public static void kill(ExecutorProcess executor, Duration timeout) throws InterruptedException {
        ProcessHandle handle = executor.handle().orElse(null);
        if (handle == null) {
            return;
        }
        handle.destroyForcibly();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (handle.isAlive()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("executor " + executor + " still alive " + timeout + " after SIGKILL");
            }
            Thread.sleep(50);
        }
    }

    static Optional<ExecutorProcess> parse(long pid, String[] args) {
        List<String> a = Arrays.asList(args);
        if (!a.contains(EXECUTOR_MAIN)) {
            return Optional.empty();
        }
        String executorId = valueOf(a, "--executor-id");
        String appId = valueOf(a, "--app-id");
        return executorId == null || appId == null ? Optional.empty()
                : Optional.of(new ExecutorProcess(pid, executorId, appId));
    }

    private static String valueOf(List<String> args, String flag) {
        int i = args.indexOf(flag);
        return i >= 0 && i + 1 < args.size() ? args.get(i + 1) : null;
    }
}
