package io.ml3spark.ml3;

import io.ml3spark.nn.Init;

import java.io.Serializable;

/**
 * How an experiment's phi starts: weights by {@code init}, biases at {@code bias}, drawn from
 * the run seed's stream {@code seedStream} ({@link Seeds#derive}), so a run's phi_0 is a
 * function of its seed alone.
 */
public record PhiInit(long seedStream, Init init, double bias) implements Serializable {
}
