package io.ml3spark.nn;

import io.ml3spark.autodiff.Tensor;

import java.util.Locale;

/** Pointwise nonlinearities a layer can end with, named as configs name them. */
public enum Activation {
    IDENTITY, RELU, TANH, SIGMOID, ELU, SOFTPLUS;

    public Tensor apply(Tensor x) {
        return switch (this) {
            case IDENTITY -> x;
            case RELU -> x.relu();
            case TANH -> x.tanh();
            case SIGMOID -> x.sigmoid();
            case ELU -> x.elu();
            case SOFTPLUS -> x.softplus();
        };
    }

    /** Parses a config name such as {@code "relu"}; the error lists the valid names. */
    public static Activation parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown activation '" + name + "', expected one of "
                    + java.util.Arrays.toString(values()).toLowerCase(Locale.ROOT));
        }
    }
}
