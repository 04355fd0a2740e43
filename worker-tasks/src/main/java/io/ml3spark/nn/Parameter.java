package io.ml3spark.nn;

import io.ml3spark.tensor.Shape;

import java.io.Serializable;

/** One named parameter tensor of a model, e.g. {@code layers.0.weight} of shape {@code [2, 50]}. */
public record Parameter(String name, Shape shape) implements Serializable {
    public Parameter {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
    }
}
