package io.ml3spark.driver.train;

import io.ml3spark.driver.config.BackendChoice;
import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Backends;
import io.ml3spark.tensor.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.apache.spark.resource.ResourceUtils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * The tensor backend a Spark task computes on, from the config's {@code backend} and
 * {@code precision} (a {@link BackendChoice} spec) and the GPU
 * that Spark's resource scheduling assigned to the task ({@code spark.executor.resource.gpu.amount},
 * {@code spark.task.resource.gpu.amount}):
 * <ul>
 *   <li>a named backend computes where it can: a backend with {@link Device#GPU} among its devices
 *       (nd4j) binds the task's thread to the task's GPU before it computes; one without (jvm)
 *       ignores GPUs;</li>
 *   <li>{@code auto} is the backend that states it is the default on the task's device: on a task
 *       with a GPU, nd4j; else jvm (ND4J costs more than plain Java on CPU for ML3's small networks).</li>
 * </ul>
 * A task with several GPU addresses uses the first. Every GPU binding is logged (INFO, on the executor).
 */
public final class ExecutorDevice {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorDevice.class);

    private ExecutorDevice() {
    }

    /** The backend of the driver's own work (initial phi, meta-test), which has no GPU of Spark's. */
    public static Backend onDriver(String configured) {
        return Backends.open(backendFor(BackendChoice.name(configured), false), BackendChoice.precision(configured));
    }

    /** The backend for the Spark task running this thread, its thread bound to the task's GPU if it has one. */
    public static Backend forCurrentTask(String configured) {
        TaskContext task = TaskContext.get();
        Optional<String> gpu = task == null ? Optional.empty() : assignedGpu(task);
        BackendProvider provider = backendFor(BackendChoice.name(configured), gpu.isPresent());
        if (gpu.isPresent() && provider.devices().contains(Device.GPU)) {
            OptionalInt device = provider.bindThreadToGpu(cudaDevice(gpu.get()));
            LOG.info("Spark task {} (stage {}.{}, partition {}): GPU {} -> backend {}, {}", task.taskAttemptId(),
                    task.stageId(), task.stageAttemptNumber(), task.partitionId(), gpu.get(), provider.name(),
                    device.isPresent() ? "CUDA device " + device.getAsInt() : "no CUDA device (a CPU-only build)");
        }
        return Backends.open(provider, BackendChoice.precision(configured));
    }

    /** The backend for a configured backend name and whether the task has a GPU. */
    static BackendProvider backendFor(String configured, boolean hasGpu) {
        return BackendChoice.resolve(configured, hasGpu ? Device.GPU : Device.CPU);
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
