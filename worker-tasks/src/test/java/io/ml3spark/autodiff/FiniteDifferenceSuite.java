package io.ml3spark.autodiff;

import io.ml3spark.tensor.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A table of {@link DerivativeCase}s checked to first and second order on every backend.
 * A subclass supplies the table as {@code static Stream<Arguments> cases()}, built with
 * {@link DerivativeCase#onEveryBackend}.
 */
public abstract class FiniteDifferenceSuite {

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    public void firstDerivativesMatchFiniteDifferences(Backend backend, DerivativeCase c) {
        c.checkFirstOrder(backend);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("cases")
    public void secondDerivativesMatchFiniteDifferences(Backend backend, DerivativeCase c) {
        c.checkSecondOrder(backend);
    }
}
