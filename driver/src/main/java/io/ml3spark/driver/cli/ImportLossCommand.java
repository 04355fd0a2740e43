package io.ml3spark.driver.cli;

import io.ml3spark.driver.config.ConfigError;
import io.ml3spark.driver.run.RunDirectory;
import io.ml3spark.format.LearnedLossFile;
import io.ml3spark.format.Safetensors;
import io.ml3spark.ml3.LearnedLoss;
import io.ml3spark.ml3.LossInput;
import io.ml3spark.nn.Activation;
import io.ml3spark.nn.Mlp;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code import-loss}: a PyTorch state_dict saved as safetensors (e.g. the official ML3 code's
 * sine-regression loss), with its architecture given here, as a learned-loss file that
 * {@code evaluate} meta-tests.
 */
@Command(name = "import-loss", mixinStandardHelpOptions = true,
        description = "Turn a PyTorch state_dict (safetensors) and an architecture into a learned-loss file.")
public final class ImportLossCommand implements Callable<Integer> {
    @Option(names = "--state-dict", required = true, paramLabel = "FILE", description = "The state_dict as safetensors (F32 or F64).")
    String stateDict;

    @Option(names = "--layers", required = true, split = ",", paramLabel = "N", description = "Layer widths, e.g. 2,50,50,1.")
    List<Integer> layers;

    @Option(names = "--activation", description = "Hidden activation (default: relu).")
    String activation = "relu";

    @Option(names = "--output", description = "Output activation (default: softplus).")
    String output = "softplus";

    @Option(names = "--bias", description = "The linear layers have biases (default: false).")
    boolean bias;

    @Option(names = "--weights", split = ",", paramLabel = "NAME",
            description = "The layers' weight tensors [out, in], in order (default: every *.weight, in natural order).")
    List<String> weights;

    @Option(names = "--biases", split = ",", paramLabel = "NAME",
            description = "The layers' bias tensors [out], in order (default: the weights' names with .bias).")
    List<String> biases;

    @Option(names = "--features", description = "Input features, name:source,... (default: prediction:prediction,target:target).")
    String features = "prediction:prediction,target:target";

    @Option(names = "--reduction", description = "mean-over-samples (default) or sum-over-classes-mean-over-samples.")
    String reduction = "mean-over-samples";

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "The learned-loss file to write (must not exist).")
    String out;

    @Override
    public Integer call() throws IOException {
        Configuration hadoop = new Configuration();
        LearnedLoss loss = new LearnedLoss(network(), input());
        Safetensors.Contents file = Safetensors.decodeForeign(RunDirectory.read(stateDict, hadoop), stateDict);
        List<String> w = weights != null ? weights : naturalOrder(file.tensors().keySet().stream()
                .filter(n -> n.endsWith(".weight")).toList());
        List<String> b = biases != null ? biases : w.stream().map(n -> n.substring(0, n.length() - ".weight".length()) + ".bias").toList();
        double[] phi;
        try {
            phi = LearnedLossFile.phiFromLinears(loss, file.tensors(), w, b, stateDict);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("--state-dict " + stateDict + " does not fit --layers "
                    + layers.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(",")) + ": "
                    + e.getMessage());
        }
        requireFinite(file, w, b);
        byte[] bytes = LearnedLossFile.encode(new LearnedLossFile.Contents(loss, phi, "imported", 0, 0));
        writeNew(new Path(out), bytes, hadoop);
        System.out.printf("[import-loss] %s: %d tensors %s -> %s (%d parameters, %s)%n", stateDict, w.size(), w, out,
                phi.length, loss.input());
        return 0;
    }

    /** Refuses a state_dict whose tensors of the loss hold NaN or infinite values, naming the first such tensor. */
    private void requireFinite(Safetensors.Contents file, List<String> weightNames, List<String> biasNames) {
        List<String> used = new ArrayList<>(weightNames);
        if (bias) {
            used.addAll(biasNames);
        }
        for (String name : used) {
            double[] v = file.tensors().get(name).values();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    throw new ConfigError("--state-dict " + stateDict + ": tensor " + name + " holds " + v[i] + " at index "
                            + i + "; a learned loss must be finite");
                }
            }
        }
    }

    /** Writes {@code bytes} as the new file {@code target}: whole under a hidden name, then renamed; nothing else stays behind. */
    private void writeNew(Path target, byte[] bytes, Configuration hadoop) throws IOException {
        FileSystem fs = RunDirectory.fileSystem(target, hadoop);
        fs.setWriteChecksum(false);
        if (fs.exists(target)) {
            throw new ConfigError("--out: " + out + " exists; import-loss writes a new file");
        }
        Path tmp = new Path(target.getParent(), "." + target.getName() + ".tmp");
        boolean renamed = false;
        try {
            try (FSDataOutputStream o = fs.create(tmp, true)) {
                o.write(bytes);
            }
            renamed = fs.rename(tmp, target);
            if (!renamed) {
                throw new ConfigError("--out: " + out + " appeared while it was written; import-loss writes a new file");
            }
        } finally {
            if (!renamed) {
                fs.delete(tmp, false);
            }
        }
    }

    private Mlp network() {
        Activation hidden = parse("--activation", activation);
        Activation last = parse("--output", output);
        try {
            return new Mlp(layers.stream().mapToInt(Integer::intValue).toArray(), hidden, last, bias);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("--layers: " + e.getMessage());
        }
    }

    private static Activation parse(String option, String name) {
        try {
            return Activation.parse(name);
        } catch (IllegalArgumentException e) {
            throw new ConfigError(option + ": " + e.getMessage());
        }
    }

    private LossInput input() {
        try {
            return LossInput.decode(features, reduction);
        } catch (IllegalArgumentException e) {
            throw new ConfigError("--features/--reduction: " + e.getMessage());
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\\d+");

    /** Names sorted with their numbers compared as numbers ({@code layers.2} before {@code layers.10}). */
    static List<String> naturalOrder(List<String> names) {
        List<String> sorted = new ArrayList<>(names);
        sorted.sort(Comparator.comparing(ImportLossCommand::padded));
        return sorted;
    }

    private static String padded(String name) {
        Matcher m = NUMBER.matcher(name);
        StringBuilder s = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(s, "0".repeat(Math.max(0, 20 - m.group().length())) + m.group());
        }
        m.appendTail(s);
        return s.toString();
    }
}
