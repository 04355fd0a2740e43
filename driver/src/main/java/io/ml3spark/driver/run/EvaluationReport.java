package io.ml3spark.driver.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ml3spark.experiments.MetaTestResult;
import io.ml3spark.experiments.MetricDirection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * evaluation.json: for each task set, per-task final metric (and its normalised form
 * where the experiment defines one) and the per-step mean curves of the learned loss
 * ({@code ml3}) and the task-loss baseline; the first task set's means also at top level
 * as {@code ml3.final_<metric>_mean} and {@code baseline.final_<metric>_mean}.
 */
public final class EvaluationReport {
    /** Where a meta-test's results go. */
    public static final String FILE = "evaluation.json";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private EvaluationReport() {
    }

    public static String toJson(String experiment, long seed, String lossFile, List<MetaTestResult> results) {
        ObjectNode root = JSON.createObjectNode();
        root.put("experiment", experiment);
        root.put("seed", seed);
        root.put("learned_loss", lossFile);
        ObjectNode sets = JSON.createObjectNode();
        for (int i = 0; i < results.size(); i++) {
            MetaTestResult r = results.get(i);
            ObjectNode set = sets.putObject(r.taskSet());
            set.put("metric", r.metric());
            set.put("direction", r.direction().jsonName());
            set.put("steps", r.steps());
            summary(set.putObject("ml3"), r, r.finalLearned());
            summary(set.putObject("baseline"), r, r.finalBaseline());
            ArrayNode tasks = set.putArray("tasks");
            for (int t = 0; t < r.tasks(); t++) {
                ObjectNode task = tasks.addObject();
                task.put("index", t);
                task.put("ml3_final_" + r.metric(), r.finalLearned()[t]);
                task.put("baseline_final_" + r.metric(), r.finalBaseline()[t]);
                if (r.normalizer() != null) {
                    task.put("ml3_final_n" + r.metric(), r.finalLearned()[t] / r.normalizer()[t]);
                    task.put("baseline_final_n" + r.metric(), r.finalBaseline()[t] / r.normalizer()[t]);
                }
            }
            array(set.putArray("ml3_curve_mean"), MetaTestResult.meanCurve(r.learned()));
            array(set.putArray("baseline_curve_mean"), MetaTestResult.meanCurve(r.baseline()));
            if (i == 0) {
                root.set("ml3", set.get("ml3").deepCopy());
                root.set("baseline", set.get("baseline").deepCopy());
                root.put("task_set", r.taskSet());
            }
        }
        root.set("task_sets", sets);
        try {
            return JSON.writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One task set's headline numbers: mean final metric with the learned loss and with the baseline, and which way is better. */
    public record Summary(String taskSet, String metric, MetricDirection direction, double learned, double baseline) {
        /** Whether the learned loss did better; null for a descriptive metric. */
        public Boolean learnedWins() {
            return direction.learnedWins(learned, baseline);
        }
    }

    /**
     * The directions of the metrics that evaluation.json files recorded before they recorded
     * directions. Frozen: a new metric states its direction in its {@link MetaTestResult}.
     */
    private static final Map<String, MetricDirection> BEFORE_DIRECTIONS_WERE_RECORDED = Map.ofEntries(
            Map.entry("mse", MetricDirection.LOWER_IS_BETTER), Map.entry("nmse", MetricDirection.LOWER_IS_BETTER),
            Map.entry("nll", MetricDirection.LOWER_IS_BETTER), Map.entry("frequency_error", MetricDirection.LOWER_IS_BETTER),
            Map.entry("accuracy", MetricDirection.HIGHER_IS_BETTER), Map.entry("end_position", MetricDirection.HIGHER_IS_BETTER),
            Map.entry("final_distance", MetricDirection.LOWER_IS_BETTER), Map.entry("goal_distance", MetricDirection.LOWER_IS_BETTER),
            Map.entry("task_loss", MetricDirection.LOWER_IS_BETTER), Map.entry("return", MetricDirection.HIGHER_IS_BETTER),
            Map.entry("env_steps_to_return", MetricDirection.LOWER_IS_BETTER));

    /** A task set's recorded direction, or for a file from before directions were recorded, the one its metric had then. */
    private static MetricDirection direction(JsonNode set, String metric, String source, String taskSet) {
        JsonNode recorded = set.get("direction");
        if (recorded == null) {
            return BEFORE_DIRECTIONS_WERE_RECORDED.getOrDefault(metric, MetricDirection.NEITHER);
        }
        MetricDirection d = MetricDirection.fromJsonName(recorded.asText());
        if (d == null) {
            throw new RunDirectoryError(source + ": task set " + taskSet + " has direction '" + recorded.asText()
                    + "', expected lower_is_better, higher_is_better or neither");
        }
        return d;
    }

    /** An evaluation.json as summaries: its experiment and the headline numbers of each task set. */
    public record Evaluation(String experiment, List<Summary> sets) {
    }

    /** The headline numbers of every task set of an evaluation.json; {@code source} names it in errors. */
    public static List<Summary> summaries(byte[] json, String source) {
        return read(json, source).sets();
    }

    /** Reads an evaluation.json; {@code source} names it in errors. */
    public static Evaluation read(byte[] json, String source) {
        return read(json, source, -1);
    }

    /**
     * Reads an evaluation.json with each task set's mean metric after {@code step} SGD steps
     * (from its mean curves), or after the last with {@code step < 0}.
     */
    public static Evaluation read(byte[] json, String source, int step) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new RunDirectoryError("cannot parse " + source + ": " + e.getMessage());
        }
        List<Summary> out = new ArrayList<>();
        root.path("task_sets").fields().forEachRemaining(e -> {
            JsonNode set = e.getValue();
            String metric = set.path("metric").asText();
            MetricDirection direction = direction(set, metric, source, e.getKey());
            if (step >= 0) {
                JsonNode learned = set.path("ml3_curve_mean");
                if (step >= learned.size()) {
                    throw new RunDirectoryError(source + ": task set " + e.getKey() + " has " + (learned.size() - 1)
                            + " meta-test steps, not " + step);
                }
                out.add(new Summary(e.getKey(), metric, direction, learned.get(step).asDouble(Double.NaN),
                        set.path("baseline_curve_mean").path(step).asDouble(Double.NaN)));
                return;
            }
            String key = "final_" + metric + "_mean";
            out.add(new Summary(e.getKey(), metric, direction, set.path("ml3").path(key).asDouble(Double.NaN),
                    set.path("baseline").path(key).asDouble(Double.NaN)));
        });
        if (out.isEmpty()) {
            throw new RunDirectoryError(source + " has no task_sets");
        }
        return new Evaluation(root.path("experiment").asText("?"), out);
    }

    /** Each task set's mean curves, {@code {learned, baseline}}, of an evaluation.json. */
    public static Map<String, double[][]> curves(byte[] json, String source) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new RunDirectoryError("cannot parse " + source + ": " + e.getMessage());
        }
        Map<String, double[][]> out = new java.util.LinkedHashMap<>();
        root.path("task_sets").fields().forEachRemaining(e -> {
            JsonNode learned = e.getValue().path("ml3_curve_mean");
            JsonNode baseline = e.getValue().path("baseline_curve_mean");
            if (learned.size() == 0 || learned.size() != baseline.size()) {
                throw new RunDirectoryError(source + ": task set " + e.getKey() + " has no mean curves of equal length");
            }
            double[][] c = new double[2][learned.size()];
            for (int s = 0; s < learned.size(); s++) {
                c[0][s] = learned.get(s).asDouble(Double.NaN);
                c[1][s] = baseline.get(s).asDouble(Double.NaN);
            }
            out.put(e.getKey(), c);
        });
        return out;
    }

    private static void summary(ObjectNode node, MetaTestResult r, double[] finals) {
        node.put("final_" + r.metric() + "_mean", mean(finals));
        if (r.normalizer() != null) {
            double[] normalised = new double[finals.length];
            for (int t = 0; t < finals.length; t++) {
                normalised[t] = finals[t] / r.normalizer()[t];
            }
            node.put("final_n" + r.metric() + "_mean", mean(normalised));
        }
    }

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static void array(ArrayNode node, double[] values) {
        for (double v : values) {
            node.add(v);
        }
    }
}
