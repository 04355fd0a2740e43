package io.ml3spark.driver.dynamics;

import io.ml3spark.control.dynamics.ProbabilisticDynamics;
import io.ml3spark.format.NonFinite;
import io.ml3spark.format.Safetensors;
import io.ml3spark.nn.Parameter;
import io.ml3spark.nn.ParameterLayout;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refit of a run's learned dynamics model, {@code dynamics/iter-000300.safetensors}: the
 * transitions it was fitted to ({@code data.inputs [N, S + A]}, {@code data.targets [N, V]}),
 * each member's parameters by name ({@code member.0.layers.0.weight}, ...), and in the metadata
 * the iteration it was fitted after, the run it belongs to and how well the model before it
 * predicted the new rollouts (their first time in the data: held out). Checksummed as a
 * whole; every tensor is checked against the model's shapes, and must be finite.
 */
public record DynamicsFile(int iteration, String runId, double[][] inputs, double[][] targets, List<double[]> members,
                           Map<String, String> report) {
    public static final String DIR = "dynamics";
    static final String FORMAT = "ml3-spark-dynamics-v1";
    /** The metadata keys of the refit's report ({@code report.one-step-rmse}, ...). */
    private static final String REPORT = "report.";

    public static String name(int iteration) {
        return String.format("%s/iter-%06d.safetensors", DIR, iteration);
    }

    public byte[] encode(ProbabilisticDynamics model) {
        Map<String, Safetensors.Entry> tensors = new LinkedHashMap<>();
        tensors.put("data.inputs", matrix(inputs));
        tensors.put("data.targets", matrix(targets));
        ParameterLayout layout = model.layout();
        for (int m = 0; m < members.size(); m++) {
            Map<String, double[]> named = layout.split(members.get(m));
            for (Parameter p : layout.parameters()) {
                tensors.put("member." + m + "." + p.name(), new Safetensors.Entry(named.get(p.name()), p.shape().dims()));
            }
        }
        Map<String, String> meta = new LinkedHashMap<>();
        report.forEach((k, v) -> meta.put(REPORT + k, v));
        meta.put("format", FORMAT);
        meta.put("iteration", Integer.toString(iteration));
        meta.put("members", Integer.toString(members.size()));
        meta.put("run-id", runId);
        return Safetensors.encode(tensors, meta);
    }

    /** The file's contents, checked against {@code model} and {@code members} members; any mismatch is a corrupt file. */
    public static DynamicsFile decode(byte[] bytes, String source, ProbabilisticDynamics model, int members) {
        Safetensors.Contents c = Safetensors.decode(bytes, source);
        Map<String, String> meta = c.metadata();
        if (!FORMAT.equals(meta.get("format"))) {
            throw new Safetensors.CorruptFileException(source, "not a dynamics file of this version (format '"
                    + meta.get("format") + "', expected '" + FORMAT + "')");
        }
        if (!c.wholeFileChecked()) {
            throw new Safetensors.CorruptFileException(source, "no whole-file checksum");
        }
        if (!Integer.toString(members).equals(meta.get("members"))) {
            throw new Safetensors.CorruptFileException(source, "holds " + meta.get("members") + " members, the config's"
                    + " ensemble has " + members);
        }
        int inputs = model.network().inputSize();
        double[][] x = rows(c.tensor("data.inputs", source), inputs, source, "data.inputs");
        double[][] y = rows(c.tensor("data.targets", source), model.velocities(), source, "data.targets");
        if (x.length != y.length) {
            throw new Safetensors.CorruptFileException(source, x.length + " inputs but " + y.length + " targets");
        }
        List<double[]> fitted = new ArrayList<>();
        ParameterLayout layout = model.layout();
        for (int m = 0; m < members; m++) {
            Map<String, double[]> values = new HashMap<>();
            for (Parameter p : layout.parameters()) {
                String name = "member." + m + "." + p.name();
                Safetensors.Entry e = c.tensor(name, source);
                if (!Arrays.equals(e.shape(), p.shape().dims())) {
                    throw new Safetensors.CorruptFileException(source, "tensor '" + name + "' has shape "
                            + Arrays.toString(e.shape()) + ", the model needs " + p.shape());
                }
                values.put(p.name(), e.values());
            }
            double[] member = layout.join(p -> values.get(p.name()));
            if (NonFinite.count(member) > 0) {
                throw new Safetensors.CorruptFileException(source, "member " + m + " has non-finite parameters");
            }
            fitted.add(member);
        }
        try {
            Map<String, String> report = new LinkedHashMap<>();
            meta.forEach((k, v) -> {
                if (k.startsWith(REPORT)) {
                    report.put(k.substring(REPORT.length()), v);
                }
            });
            return new DynamicsFile(Integer.parseInt(meta.get("iteration")), String.valueOf(meta.get("run-id")), x, y,
                    fitted, report);
        } catch (NumberFormatException e) {
            throw new Safetensors.CorruptFileException(source, "iteration missing or not a number");
        }
    }

    private static Safetensors.Entry matrix(double[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * width, width);
        }
        return new Safetensors.Entry(flat, new int[] {rows.length, width});
    }

    private static double[][] rows(Safetensors.Entry e, int width, String source, String name) {
        if (e.shape().length != 2 || e.shape()[1] != width) {
            throw new Safetensors.CorruptFileException(source, "tensor '" + name + "' has shape " + Arrays.toString(e.shape())
                    + ", expected [N, " + width + "]");
        }
        if (NonFinite.count(e.values()) > 0) {
            throw new Safetensors.CorruptFileException(source, "tensor '" + name + "' has non-finite values");
        }
        double[][] out = new double[e.shape()[0]][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Arrays.copyOfRange(e.values(), i * width, (i + 1) * width);
        }
        return out;
    }
}
