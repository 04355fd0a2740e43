package io.ml3spark.format;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.nn.Parameter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A learned loss as a {@link Safetensors} file: its network's parameters by name
 * ({@code layers.<i>.weight} {@code [in, out]}, {@code layers.<i>.bias} {@code [1, out]}); the
 * metadata holds the architecture (so the file alone rebuilds the network), the input
 * features by name with their source ({@code features}, e.g.
 * {@code prediction:prediction,target:target}), the reduction, and provenance. Files written
 * before features were named carry {@code input} (e.g. {@code prediction_target}) instead and
 * still load.
 */
public final class LearnedLossFile {
    public static final String FORMAT = "ml3-spark-learned-loss-v1";

    /** A learned loss with its parameters and the provenance recorded beside them. */
    public record Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations) {
        /** Whether this file's network and input are {@code expected}'s (so its phi fits that loss). */
        public boolean fits(LearnedLoss expected) {
            return loss.network().equals(expected.network()) && loss.input().equals(expected.input());
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
        meta.put("features", c.loss().input().encode());
        meta.put("reduction", c.loss().input().reduction());
        meta.put("experiment", c.experiment());
        meta.put("seed", Long.toString(c.seed()));
        meta.put("iterations", Integer.toString(c.iterations()));
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        Map<String, double[]> named = c.loss().layout().split(c.phi());
        for (Parameter p : c.loss().layout().parameters()) {
            tensors.put(p.name(), new Safetensors.Entry(named.get(p.name()), p.shape().dims()));
        }
        return Safetensors.encode(tensors, meta);
    }

    /** Decodes and validates a file; {@code source} names it in errors. */
    public static Contents decode(byte[] bytes, String source) {
        Safetensors.Contents file = Safetensors.decode(bytes, source);
        Map<String, String> meta = file.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new Safetensors.CorruptFileException(source, "not a learned-loss file (metadata format is '"
                    + meta.get("format") + "', expected '" + FORMAT + "')");
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
            Map<String, double[]> values = new HashMap<>();
            for (Parameter p : loss.layout().parameters()) {
                Safetensors.Entry e = file.tensor(p.name(), source);
                if (!Arrays.equals(e.shape(), p.shape().dims())) {
                    throw new Safetensors.CorruptFileException(source, "tensor '" + p.name() + "' has shape "
                            + Arrays.toString(e.shape()) + ", the architecture " + meta.get("layers") + " needs "
                            + p.shape());
                }
                values.put(p.name(), e.values());
            }
            // Every tensor has been checked against the bytes present, so phi is no larger than the file.
            double[] phi = loss.layout().join(p -> values.get(p.name()));
            int nonFinite = NonFinite.count(phi);
            if (nonFinite > 0) {
                throw new Safetensors.CorruptFileException(source, nonFinite + " of its " + phi.length
                        + " parameters are not finite (NaN or infinite)");
            }
            return new Contents(loss, phi, meta.get("experiment"), Long.parseLong(meta.get("seed")),
                    Integer.parseInt(meta.get("iterations")));
        } catch (Safetensors.CorruptFileException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new Safetensors.CorruptFileException(source, "bad architecture metadata: " + e.getMessage());
        }
    }
}
