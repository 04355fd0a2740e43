package io.ml3spark.experiments.modelfree;

import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import java.io.Serializable;
import java.util.Arrays;

/**
 * A policy's hidden layers, named as the paper's Fig. 4 names them: {@code 2x64} is two tanh
 * layers of 64 units. The same architecture, with one output, is PPO's value network.
 */
public record PolicyArchitecture(int layers, int width) implements Serializable {
    public PolicyArchitecture {
        if (layers < 1 || layers > 16 || width < 1 || width > 4096) {
            throw new IllegalArgumentException("an architecture of 1..16 hidden layers of 1..4096 units, got "
                    + layers + "x" + width);
        }
    }

    /** {@code <layers>x<width>}, e.g. {@code 2x64}; anything else fails saying what was expected. */
    public static PolicyArchitecture parse(String name) {
        String[] parts = name.split("x", -1);
        try {
            if (parts.length == 2) {
                return new PolicyArchitecture(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
            }
        } catch (NumberFormatException e) {
            // reported below
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage() + " ('" + name + "')");
        }
        throw new IllegalArgumentException("an architecture <hidden layers>x<units>, e.g. 2x64, got '" + name + "'");
    }

    public String name() {
        return layers + "x" + width;
    }

    /** The tanh MLP from {@code inputs} through the hidden layers to {@code outputs}, linear output. */
    public Mlp network(int inputs, int outputs) {
        int[] sizes = new int[layers + 2];
        Arrays.fill(sizes, width);
        sizes[0] = inputs;
        sizes[layers + 1] = outputs;
        return new Mlp(sizes, Activation.TANH, Activation.IDENTITY, true);
    }

    @Override
    public String toString() {
        return name();
    }
}
