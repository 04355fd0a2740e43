package io.ml3spark.driver.run;

import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import io.ml3spark.tensor.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A learned loss as a {@link Safetensors} file: tensors {@code layers.<i>.weight}
 * ({@code [in, out]}) and {@code layers.<i>.bias} ({@code [1, out]}); the metadata holds the
 * architecture (so the file alone rebuilds the network) and provenance.
 */
public final class LearnedLossFile {
    public static final String FORMAT = "ml3-spark-learned-loss-v1";

    /** A learned loss with its parameters and the provenance recorded beside them. */
    public record Contents(LearnedLoss loss, double[] phi, String experiment, long seed, int iterations) {
        /** Whether this file's network and input are {@code expected}'s (so its phi fits that loss). */
        public boolean fits(LearnedLoss expected) {
            return loss.network().equals(expected.network()) && loss.input() == expected.input();
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
        meta.put("input", c.loss().input().name().toLowerCase(Locale.ROOT));
        meta.put("experiment", c.experiment());
        meta.put("seed", Long.toString(c.seed()));
        meta.put("iterations", Integer.toString(c.iterations()));
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        List<Shape> shapes = net.parameterShapes();
        int off = 0;
        for (int i = 0; i < shapes.size(); i++) {
            int size = shapes.get(i).size();
            tensors.put(tensorName(net, i), new Safetensors.Entry(Arrays.copyOfRange(c.phi(), off, off + size),
                    shapes.get(i).dims()));
            off += size;
        }
        return Safetensors.encode(tensors, meta);
    }

    private static String tensorName(Mlp net, int index) {
        int layer = net.hasBias() ? index / 2 : index;
        boolean bias = net.hasBias() && index % 2 == 1;
        return "layers." + layer + (bias ? ".bias" : ".weight");
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
            LearnedLoss loss = new LearnedLoss(net, LossInput.valueOf(meta.get("input").toUpperCase(Locale.ROOT)));
            List<Shape> shapes = net.parameterShapes();
            List<Safetensors.Entry> entries = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                Safetensors.Entry e = file.tensor(tensorName(net, i), source);
                if (!Arrays.equals(e.shape(), shapes.get(i).dims())) {
                    throw new Safetensors.CorruptFileException(source, "tensor '" + tensorName(net, i) + "' has shape "
                            + Arrays.toString(e.shape()) + ", the architecture " + meta.get("layers") + " needs "
                            + shapes.get(i));
                }
                entries.add(e);
            }
            // Every tensor has been checked against the bytes present, so phi is no larger than the file.
            double[] phi = new double[entries.stream().mapToInt(e -> e.values().length).sum()];
            int off = 0;
            for (Safetensors.Entry e : entries) {
                System.arraycopy(e.values(), 0, phi, off, e.values().length);
                off += e.values().length;
            }
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
