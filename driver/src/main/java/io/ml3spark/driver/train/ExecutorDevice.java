package io.ml3spark.driver.train;

import io.ml3spark.driver.config.BackendChoice;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.backend.Backends;
import io.ml3spark.tensor.backend.Nd4jBackend;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tensor backend a Spark task computes on, from the config's {@code backend} and
 * {@code precision} (a {@link BackendChoice} spec) and the GPU
 * that Spark's resource scheduling assigned to the task ({@code spark.executor.resource.gpu.amount},
 * {@code spark.task.resource.gpu.amount}):
 * <ul>
 *   <li>{@code jvm}: the pure-Java backend; GPUs are ignored;</li>
 *   <li>{@code nd4j}: ND4J, on the task's GPU if it has one (the task's thread is bound to that
 *       CUDA device before it computes);</li>
 *   <li>{@code auto}: {@code nd4j} on the task's GPU when it has one, else {@code jvm} (ND4J
 *       costs more than plain Java on CPU for ML3's small networks).</li>
 * </ul>
 * A task with several GPU addresses uses the first. Every GPU binding is logged (INFO, on the executor).
 */
public final class ExecutorDevice {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDevice.class);

    private ExecutorDevice() {
    }

    /** The backend of the driver's own work (initial phi, meta-test), which has no GPU of Spark's. */
    public static Backend onDriver(String configured) {
        return Backends.byName(backendFor(BackendChoice.name(configured), false), BackendChoice.precision(configured));
    }

    /** The backend for the Spark task running this thread, its thread bound to the task's GPU if it has one. */
    public static Backend forCurrentTask(String configured) {
        TaskContext task = TaskContext.get();
        Optional<String> gpu = task == null ? Optional.empty() : assignedGpu(task);
        String name = backendFor(BackendChoice.name(configured), gpu.isPresent());
        if (gpu.isPresent() && name.equals("nd4j")) {
            OptionalInt device = Nd4jBackend.useDevice(cudaDevice(gpu.get()));
            LOG.info("Spark task {} (stage {}.{}, partition {}): GPU {} -> backend nd4j, {}", task.taskAttemptId(),
                    task.stageId(), task.stageAttemptNumber(), task.partitionId(), gpu.get(),
                    device.isPresent() ? "CUDA device " + device.getAsInt() : "no CUDA device (CPU build of ND4J)");
        }
        return Backends.byName(name, BackendChoice.precision(configured));
    }

    /** The backend name for a configured backend and whether the task has a GPU. */
    static String backendFor(String configured, boolean hasGpu) {
        String name = configured.trim().toLowerCase(Locale.ROOT);
        if (name.equals(BackendChoice.AUTO)) {
            return hasGpu ? "nd4j" : "jvm";
        }
        if (!Backends.names().contains(name)) {
            throw new IllegalArgumentException("unknown backend '" + configured + "', expected one of " + BackendChoice.names());
        }
        return name;
    }

    /** A GPU address as Spark's discovery script reports it: a CUDA device ordinal. */
    static int cudaDevice(String address) {
        try {
            return Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU address '" + address + "' assigned by Spark is not a CUDA device"
                    + " number; the GPU discovery script must report device ordinals such as [\"0\",\"1\"]");
        }
    }

    private static Optional<String> assignedGpu(TaskContext task) {
        ResourceInformation gpu = task.resourcesJMap().get(ResourceUtils.GPU());
        return gpu == null || gpu.addresses().length == 0 ? Optional.empty() : Optional.of(gpu.addresses()[0]);
    }
}
