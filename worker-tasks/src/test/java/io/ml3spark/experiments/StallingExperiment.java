package io.ml3spark.experiments;

import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.tensor.Backend;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Fault injection for executor-loss tests: the first Spark task of iteration
 * {@code stallIteration} writes its JVM's PID to {@code <dir>/stalled-pid} and sleeps, so
 * that a test can kill that executor while the iteration is in flight. Retries compute
 * normally; the numbers are the delegate's.
 */
public final class StallingExperiment extends DelegatingExperiment {
    private static final long serialVersionUID = 1L;

    private final long stallIteration;
    private final String markerDir;
    private final long stallMillis;

    public StallingExperiment(Experiment delegate, long stallIteration, Path markerDir, long stallMillis) {
        super(delegate);
        this.stallIteration = stallIteration;
        this.markerDir = markerDir.toString();
        this.stallMillis = stallMillis;
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        if (iteration == stallIteration) {
            Path claim = Paths.get(markerDir, "claimed");
            try {
                Files.createFile(claim);
                Files.writeString(Paths.get(markerDir, "stalled-pid.tmp"), Long.toString(ProcessHandle.current().pid()));
                Files.move(Paths.get(markerDir, "stalled-pid.tmp"), Paths.get(markerDir, "stalled-pid"));
                Thread.sleep(stallMillis);
            } catch (java.nio.file.FileAlreadyExistsException alreadyClaimed) {
                // another attempt stalled already: compute normally
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return delegate.tasks(backend, runSeed, iteration, taskIndices);
    }
}
