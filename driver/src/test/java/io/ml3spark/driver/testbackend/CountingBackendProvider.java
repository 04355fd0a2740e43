package io.ml3spark.driver.testbackend;

import io.ml3spark.tensor.Backend;
import io.ml3spark.tensor.BackendProvider;
import io.ml3spark.tensor.Precision;


/** The test-only {@link CountingBackend} as a service: float64 on the CPU, nobody's default. */
public final class CountingBackendProvider implements BackendProvider {
    static final String NAME = "test-counting";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Backend backend(Precision precision) {
        return CountingBackend.INSTANCE;
    }
}
