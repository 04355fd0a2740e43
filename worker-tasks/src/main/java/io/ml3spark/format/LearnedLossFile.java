package io.ml3spark.format;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.Parameter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A learned loss as a {@link Safetensors} file. Version 2 (written) stores its network in
 * PyTorch's conventions, as the state_dict of an {@code nn.Sequential} of {@code nn.Linear}s
 * and activations: {@code <2i>.weight} {@code [out, in]} and {@code <2i>.bias} {@code [out]}
 * for layer i (the activation is module 2i + 1). The metadata holds the architecture (so the
 * file alone rebuilds the network; {@code sequential} spells it as modules), the input features
 * by name with their source ({@code features}, e.g. {@code prediction:prediction,target:target}),
 * the reduction, and provenance. Version 1 files ({@code layers.<i>.weight} {@code [in, out]},
 * {@code layers.<i>.bias} {@code [1, out]}) still load, and so do those written before
 * features were named ({@code input}, e.g. {@code prediction_target}).
 */
public final class LearnedLossFile {
    public static final String FORMAT = "ml3-spark-learned-loss-v2";
    public static final String FORMAT_V1 = "ml3-spark-learned-loss-v1";

    /**
     * A learned loss with its parameters and the provenance recorded beside them: the run
     * ({@code runId}; null in files from before it was recorded, and in imported ones).
     */
    public record Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations, String runId,
                           Map<String, String> data) {
        /** The prefix of metadata about the data a loss was meta-trained on (e.g. a table's feature scaling). */
        public static final String DATA_PREFIX = "data.";

        public Contents {
            data = Map.copyOf(data);
            for (String key : data.keySet()) {
                if (!key.startsWith(DATA_PREFIX)) {
                    throw new IllegalArgumentException("data metadata keys start with '" + DATA_PREFIX + "', got " + key);
                }
            }
        }

        /** A loss written by run {@code runId} with nothing recorded of its data. */
        public Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations, String runId) {
            this(loss, phi, experiment, seed, iterations, runId, Map.of());
        }

        /** A loss not written by a run. */
        public Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations) {
            this(loss, phi, experiment, seed, iterations, null);
        }

        /** Whether this file's network and input are {@code expected}'s (so its phi fits that loss). */
        public boolean fits(LearnedLoss expected) {
            return loss.sameAs(expected);
        }
    }

    private LearnedLossFile() {
    }

    public static byte[] encode(Contents c) {
        Mlp net = c.loss().network();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", FORMAT);
        meta.put("layers", Arrays.toString(net.sizes()).replace(" ", ""));
        meta.put("activation", net.hidden().name().toLowerCase(Locale.ROOT));
        meta.put("output", net.output().name().toLowerCase(Locale.ROOT));
        meta.put("bias", Boolean.toString(net.hasBias()));
        meta.put("sequential", sequential(net));
        meta.put("features", c.loss().input().encode());
        meta.put("reduction", c.loss().input().reduction());
        meta.put("experiment", c.experiment());
        meta.put("seed", Long.toString(c.seed()));
        meta.put("iterations", Integer.toString(c.iterations()));
        if (c.runId() != null) {
            meta.put("run-id", c.runId());
        }
        meta.putAll(new java.util.TreeMap<>(c.data()));
        Map<String, double[]> named = c.loss().layout().split(c.phi());
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        int[] sizes = net.sizes();
        for (int i = 0; i + 1 < sizes.length; i++) {
            double[] w = named.get("layers." + i + ".weight");
            tensors.put((2 * i) + ".weight", new Safetensors.Entry(transpose(w, sizes[i], sizes[i + 1]),
                    new int[] {sizes[i + 1], sizes[i]}));
            if (net.hasBias()) {
                tensors.put((2 * i) + ".bias", new Safetensors.Entry(named.get("layers." + i + ".bias"),
                        new int[] {sizes[i + 1]}));
            }
        }
        return Safetensors.encode(tensors, meta);
    }

    /** The network as PyTorch modules, e.g. {@code Linear(2,50,bias=False),ReLU,...,Softplus}. */
    static String sequential(Mlp net) {
        StringBuilder s = new StringBuilder();
        int[] sizes = net.sizes();
        for (int i = 0; i + 1 < sizes.length; i++) {
            s.append(i > 0 ? "," : "").append("Linear(").append(sizes[i]).append(',').append(sizes[i + 1])
                    .append(",bias=").append(net.hasBias() ? "True" : "False").append(')');
            Activation a = i + 2 == sizes.length ? net.output() : net.hidden();
            s.append(',').append(switch (a) {
                case IDENTITY -> "Identity";
                case RELU -> "ReLU";
                case TANH -> "Tanh";
                case SIGMOID -> "Sigmoid";
                case ELU -> "ELU";
                case SOFTPLUS -> "Softplus";
            });
        }
        return s.toString();
    }

    /** The {@code cols x rows} transpose of a row-major {@code rows x cols} matrix. */
    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    /**
     * phi of {@code loss} from tensors in PyTorch's conventions: layer i's weight {@code [out, in]}
     * named {@code weightNames.get(i)}, and its bias {@code [out]} named {@code biasNames.get(i)}
     * where the network has biases. A missing tensor, or one of another shape, fails (an
     * {@link IllegalArgumentException}) naming it and both shapes.
     */
    public static double[] phiFromLinears(LearnedLoss loss, Map<String, Safetensors.Entry> tensors,
                                          List<String> weightNames, List<String> biasNames, String source) {
        Mlp net = loss.network();
        int[] sizes = net.sizes();
        if (weightNames.size() != sizes.length - 1) {
            throw new IllegalArgumentException(weightNames.size() + " weight tensors " + weightNames + " for the "
                    + (sizes.length - 1) + " layers of " + architecture(net));
        }
        Map<String, double[]> values = new HashMap<>();
        for (int i = 0; i + 1 < sizes.length; i++) {
            Safetensors.Entry w = present(tensors, weightNames.get(i), source);
            requireShape(weightNames.get(i), w, new int[] {sizes[i + 1], sizes[i]}, net);
            values.put("layers." + i + ".weight", transpose(w.values(), sizes[i + 1], sizes[i]));
            if (net.hasBias()) {
                Safetensors.Entry b = present(tensors, biasNames.get(i), source);
                requireShape(biasNames.get(i), b, new int[] {sizes[i + 1]}, net);
                values.put("layers." + i + ".bias", b.values());
            }
        }
        return loss.layout().join(p -> values.get(p.name()));
    }

    private static Safetensors.Entry present(Map<String, Safetensors.Entry> tensors, String name, String source) {
        Safetensors.Entry e = tensors.get(name);
        if (e == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' (" + source + " has "
                    + new java.util.TreeSet<>(tensors.keySet()) + ")");
        }
        return e;
    }

    private static void requireShape(String name, Safetensors.Entry e, int[] expected, Mlp net) {
        if (!Arrays.equals(e.shape(), expected)) {
            throw new IllegalArgumentException("tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + ", the architecture " + architecture(net) + " needs " + Arrays.toString(expected));
        }
    }

    private static String architecture(Mlp net) {
        return Arrays.stream(net.sizes()).mapToObj(Integer::toString).collect(java.util.stream.Collectors.joining("-"));
    }

    /** Decodes and validates a file; {@code source} names it in errors. */
    public static Contents decode(byte[] bytes, String source) {
        return decode(Safetensors.decode(bytes, source), source);
    }

    /** A learned loss from a decoded safetensors file; fails if the file is not one. */
    public static Contents decode(Safetensors.Contents file, String source) {
        Map<String, String> meta = file.metadata();
        boolean v2 = FORMAT.equals(meta.get("format"));
        if (!v2 && !FORMAT_V1.equals(meta.get("format"))) {
            throw new Safetensors.CorruptFileException(source, "not a learned-loss file (metadata format is '"
                    + meta.get("format") + "', expected '" + FORMAT + "' or '" + FORMAT_V1 + "')");
        }
        try {
            int[] layers = Arrays.stream(meta.get("layers").replaceAll("[\\[\\]]", "").split(","))
                    .map(String::trim).mapToInt(Integer::parseInt).toArray();
            Mlp net = new Mlp(layers, Activation.parse(meta.get("activation")), Activation.parse(meta.get("output")),
                    Boolean.parseBoolean(meta.get("bias")));
            LossInput input = meta.containsKey("features")
                    ? LossInput.decode(meta.get("features"), meta.get("reduction"))
                    : LossInput.legacy(meta.get("input"), net.inputSize());
            LearnedLoss loss = new LearnedLoss(net, input);
            double[] phi;
            if (v2) {
                List<String> weights = new ArrayList<>();
                List<String> biases = new ArrayList<>();
                for (int i = 0; i + 1 < layers.length; i++) {
                    weights.add((2 * i) + ".weight");
                    biases.add((2 * i) + ".bias");
                }
                try {
                    phi = phiFromLinears(loss, file.tensors(), weights, biases, source);
                } catch (IllegalArgumentException e) {
                    throw new Safetensors.CorruptFileException(source, e.getMessage());
                }
            } else {
                Map<String, double[]> values = new HashMap<>();
                for (Parameter p : loss.layout().parameters()) {
                    Safetensors.Entry e = file.tensor(p.name(), source);
                    try {
                        requireShape(p.name(), e, p.shape().dims(), net);
                    } catch (IllegalArgumentException mismatch) {
                        throw new Safetensors.CorruptFileException(source, mismatch.getMessage());
                    }
                    values.put(p.name(), e.values());
                }
                // Every tensor has been checked against the bytes present, so phi is no larger than the file.
                phi = loss.layout().join(p -> values.get(p.name()));
            }
            int nonFinite = NonFinite.count(phi);
            if (nonFinite > 0) {
                throw new Safetensors.CorruptFileException(source, nonFinite + " of its " + phi.length
                        + " parameters are not finite (NaN or infinite)");
            }
            Map<String, String> data = new LinkedHashMap<>();
            meta.forEach((key, value) -> {
                if (key.startsWith(Contents.DATA_PREFIX)) {
                    data.put(key, value);
                }
            });
            return new Contents(loss, phi, meta.get("experiment"), Long.parseLong(meta.get("seed")),
                    Integer.parseInt(meta.get("iterations")), meta.get("run-id"), data);
        } catch (Safetensors.CorruptFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Safetensors.CorruptFileException(source, "bad architecture metadata: " + e.getMessage());
        }
    }
}
