package io.ml3spark.driver.testbackend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Device;
import io.ml3spark.tensor.Precision;

import java.util.Set;

/** The test-only {@link CountingBackend} as a service: float64 on the CPU, nobody's default. */
public final class CountingBackendProvider implements BackendProvider {
    static final String NAME = "test-counting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<Precision> precisions() {
        return Set.of(Precision.FLOAT64);
    }

    @Override
    public Set<Device> devices() {
        return Set.of(Device.CPU);
    }

    @Override
    public Backend backend(Precision precision) {
        return CountingBackend.INSTANCE;
    }
}
