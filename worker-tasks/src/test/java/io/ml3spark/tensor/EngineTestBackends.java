package io.ml3spark.tensor;

import io.ml3spark.tensor.backend.JvmBackend;
import io.ml3spark.tensor.backend.Nd4jBackend;

import java.util.stream.Stream;

/** The backends every engine test runs on: {@code @MethodSource("io.ml3spark.tensor.EngineTestBackends#all")}. */
public final class EngineTestBackends {
    private EngineTestBackends() {
    }

    public static Stream<Backend> all() {
        return Stream.of(JvmBackend.INSTANCE, Nd4jBackend.INSTANCE);
    }
}
