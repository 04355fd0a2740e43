package io.ml3spark.experiments;

import io.ml3spark.config.Settings;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;

import java.util.List;

/** Readers of config values that several experiments share, with errors naming the key. */
public final class ConfigReaders {
    private ConfigReaders() {
    }

    /** The most parameters a network of a config may have (2^24: 128 MiB per float64 copy). */
    public static final long MAX_PARAMETERS = 1L << 24;

    /** A list of at least 2 positive layer sizes. */
    public static int[] layers(Settings s, String path) {
        return layers(s, path, s.getIntList(path));
    }

    /**
     * {@code l} as layer sizes, checked: at least 2, each positive, and a fully connected
     * network of them (with biases) has at most {@link #MAX_PARAMETERS} parameters.
     */
    public static int[] layers(Settings s, String path, List<Integer> l) {
        if (l.size() < 2 || l.stream().anyMatch(v -> v < 1)) {
            throw s.invalid(path, "a list of at least 2 positive layer sizes, got " + l);
        }
        long parameters = 0;
        for (int i = 0; i + 1 < l.size(); i++) {
            parameters += ((long) l.get(i) + 1) * l.get(i + 1);
            if (parameters > MAX_PARAMETERS) {
                throw s.invalid(path, "layer sizes of a network with at most " + MAX_PARAMETERS + " parameters, got " + l);
            }
        }
        return l.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The learned loss of section {@code ll} (layers, activation, output, bias) on {@code input}:
     * its network must take one input per feature, named in the error, to one output.
     */
    public static LearnedLoss learnedLoss(Settings ll, LossInput input) {
        Mlp network = new Mlp(layers(ll, "layers"), activation(ll, "activation"), activation(ll, "output"),
                ll.getBoolean("bias"));
        if (network.inputSize() != input.width() || network.outputSize() != 1) {
            throw ll.invalid("layers", "a network from " + input.width() + " inputs (" + String.join(", ", input.names())
                    + ") to 1 output");
        }
        return new LearnedLoss(network, input);
    }

    /** A classification's learned loss on (log p, y) of all {@code classes} at once, or of each class as a sample of its own ({@code input}). */
    public static LearnedLoss classificationLoss(Settings s, int classes) {
        LossInput input = switch (s.getChoice("input", "prediction-target", "per-class")) {
            case "prediction-target" -> LossInput.predictionTarget("log_probability", "target", classes);
            default -> LossInput.PER_CLASS_PREDICTION_TARGET;
        };
        return learnedLoss(s, input);
    }

    public static Activation activation(Settings s, String path) {
        try {
            return Activation.parse(s.getString(path));
        } catch (IllegalArgumentException e) {
            throw s.invalid(path, e.getMessage());
        }
    }

    /** Exactly {@code n} numbers. */
    public static double[] numbers(Settings s, String path, int n, String meaning) {
        List<Double> v = s.getDoubleList(path);
        if (v.size() != n) {
            throw s.invalid(path, n + " numbers (" + meaning + "), got " + v);
        }
        return v.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
