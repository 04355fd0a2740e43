package io.ml3spark.tensor.backend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Device;
import io.ml3spark.tensor.Precision;

import java.util.Set;

/** {@link JvmBackend} and {@link JvmFloatBackend} as a service: float64 and float32 on the CPU, and the CPU's default. */
public final class JvmBackendProvider implements BackendProvider {
    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public Set<Device> defaultOn() {
        return Set.of(Device.CPU);
    }

    @Override
    public Set<Precision> precisions() {
        return Set.of(Precision.FLOAT64, Precision.FLOAT32);
    }

    @Override
    public Backend backend(Precision precision) {
        return precision == Precision.FLOAT32 ? JvmFloatBackend.INSTANCE : JvmBackend.INSTANCE;
    }
}
