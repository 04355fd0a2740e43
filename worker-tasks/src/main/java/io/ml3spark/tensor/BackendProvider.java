package io.ml3spark.tensor;

import java.util.OptionalInt;
import java.util.Set;

/**
 * A tensor backend as a service: its name, what it can do, and its {@link Backend} for a
 * precision. Implementations are found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.ml3spark.tensor.BackendProvider}); {@link Backends} looks them up.
 * Callers decide by these capabilities, never by a backend's name.
 */
public interface BackendProvider {
    /** The name configs and the command line use; lower case, unique among providers. */
    String name();

    /** The precisions it computes in; float64, the engine's default, unless it says more. */
    default Set<Precision> precisions() {
        return Set.of(Precision.FLOAT64);
    }

    /** The devices it computes on; the CPU unless it says otherwise. */
    default Set<Device> devices() {
        return Set.of(Device.CPU);
    }

    /**
     * The devices on which {@code backend = auto} picks this backend. At most one provider should
     * claim a device; where several do, the first by name wins.
     */
    default Set<Device> defaultOn() {
        return Set.of();
    }

    /** The backend computing in {@code precision}, one of {@link #precisions()}; called once per use, may return a shared instance. */
    Backend backend(Precision precision);

    /**
     * Binds the calling thread's later work to GPU {@code ordinal} (as Spark's GPU discovery reports
     * it), for a provider whose {@link #devices()} has {@link Device#GPU}. Returns the device the
     * thread is then bound to, or empty where this build has no GPU to bind (a CPU-only build).
     */
    default OptionalInt bindThreadToGpu(int ordinal) {
        throw new UnsupportedOperationException("backend '" + name() + "' does not compute on GPUs");
    }
}
