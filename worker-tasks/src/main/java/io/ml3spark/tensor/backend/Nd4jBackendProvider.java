package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Device;
import io.ml3spark.tensor.Precision;

import java.util.OptionalInt;
import java.util.Set;

/**
 * {@link Nd4jBackend} as a service: float64 and float32, on the CPU or (with the {@code cuda}
 * Maven profile) a GPU, and the GPU's default. ND4J's native libraries load on first use only.
 */
public final class Nd4jBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "nd4j";
    }

    @Override
    public Set<Precision> precisions() {
        return Set.of(Precision.FLOAT64, Precision.FLOAT32);
    }

    @Override
    public Set<Device> devices() {
        return Set.of(Device.CPU, Device.GPU);
    }

    @Override
    public Set<Device> defaultOn() {
        return Set.of(Device.GPU);
    }

    @Override
    public Backend backend(Precision precision) {
        return precision == Precision.FLOAT32 ? Nd4jBackend.FLOAT32 : Nd4jBackend.INSTANCE;
    }

    @Override
    public OptionalInt bindThreadToGpu(int ordinal) {
        return Nd4jBackend.useDevice(ordinal);
    }
}
