package io.ml3spark.ml3;

import io.ml3spark.autodiff.Tensor;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The learned loss's per-sample input: named features, one column each, taken from the
 * optimizee's prediction, the batch's targets or the batch's inputs (a state, an input x), in
 * order. {@code perClass}: each class c of a classifier is a sample of its own, with features
 * (log p_c, y_c), so the loss is summed over classes and averaged over samples. The names are
 * saved in the learned-loss file, so a file says what its loss reads.
 */
public record LossInput(List<Feature> features, boolean perClass) implements Serializable {

    /** Where a feature's column comes from. */
    public enum Source { PREDICTION, TARGET, INPUT }

    /** One input column of the learned loss. */
    public record Feature(String name, Source source) implements Serializable {
        public Feature {
            if (!name.matches("[a-z][a-z0-9_]*")) {
                throw new IllegalArgumentException("a feature name is lower-case letters, digits and '_', got '" + name + "'");
            }
        }
    }

    /** (yhat, y): regression and classification. */
    public static final LossInput PREDICTION_TARGET = of(prediction("prediction"), target("target"));
    /** (log p_c, y_c) of each class c, as a sample of its own. */
    public static final LossInput PER_CLASS_PREDICTION_TARGET = new LossInput(
            List.of(prediction("log_probability"), target("target")), true);
    /** (x, yhat, y): the shaped sine-frequency loss. */
    public static final LossInput INPUT_PREDICTION_TARGET = of(input("x"), prediction("prediction"), target("target"));
    /**
     * (position, velocity, action, goal distance): MountainCar, per time step; the batch's inputs
     * are the states, the prediction the policy's actions, the targets the episode's final
     * distance to the goal, repeated per step.
     */
    public static final LossInput STATE_ACTION_COST = of(input("position"), input("velocity"), prediction("action"),
            target("goal_distance"));

    /** The inputs of files written before features were named (metadata {@code input}). */
    private static final Map<String, LossInput> LEGACY = Map.of(
            "prediction_target", PREDICTION_TARGET,
            "per_class_prediction_target", PER_CLASS_PREDICTION_TARGET,
            "input_prediction_target", INPUT_PREDICTION_TARGET,
            "state_action_cost", STATE_ACTION_COST);

    public LossInput {
        features = List.copyOf(features);
        if (features.isEmpty()) {
            throw new IllegalArgumentException("a learned loss reads at least one feature");
        }
        var names = new HashSet<String>();
        for (Feature f : features) {
            if (!names.add(f.name())) {
                throw new IllegalArgumentException("feature '" + f.name() + "' is named twice in " + features);
            }
            if (perClass && f.source() == Source.INPUT) {
                throw new IllegalArgumentException("a per-class loss reads predictions and targets only, not '" + f.name() + "'");
            }
        }
    }

    public static LossInput of(Feature... features) {
        return new LossInput(List.of(features), false);
    }

    public static Feature prediction(String name) {
        return new Feature(name, Source.PREDICTION);
    }

    public static Feature target(String name) {
        return new Feature(name, Source.TARGET);
    }

    public static Feature input(String name) {
        return new Feature(name, Source.INPUT);
    }

    /**
     * (prediction, target) with {@code columns} columns each: named {@code prediction, target}
     * for one column, {@code prediction_0, .., target_0, ..} for more (a classifier's classes).
     */
    public static LossInput predictionTarget(String prediction, String target, int columns) {
        List<Feature> features = new ArrayList<>();
        for (int c = 0; c < columns; c++) {
            features.add(prediction(columns == 1 ? prediction : prediction + "_" + c));
        }
        for (int c = 0; c < columns; c++) {
            features.add(target(columns == 1 ? target : target + "_" + c));
        }
        return new LossInput(features, false);
    }

    /** Columns of the assembled input: the learned-loss network's input size. */
    public int width() {
        return features.size();
    }

    public List<String> names() {
        return features.stream().map(Feature::name).toList();
    }

    /** How the per-sample losses are reduced to a task's loss. */
    public String reduction() {
        return perClass ? "sum-over-classes-mean-over-samples" : "mean-over-samples";
    }

    /**
     * Per-sample inputs {@code [B, N, width]}: the sources of consecutive features, concatenated;
     * each source must have as many columns as the features it gives.
     */
    public Tensor assemble(Tensor prediction, TaskBatch batch) {
        List<Tensor> parts = new ArrayList<>();
        int i = 0;
        while (i < features.size()) {
            Source source = features.get(i).source();
            int j = i;
            while (j < features.size() && features.get(j).source() == source) {
                j++;
            }
            Tensor part = switch (source) {
                case PREDICTION -> prediction;
                case TARGET -> batch.targets();
                case INPUT -> batch.inputs();
            };
            if (perClass) {
                part = part.reshape(part.shape().dim(0), -1, 1);
            }
            int columns = part.shape().dim(part.shape().rank() - 1);
            if (columns != j - i) {
                throw new IllegalArgumentException("the " + source.name().toLowerCase(Locale.ROOT) + " has " + columns
                        + " columns, features " + names().subList(i, j) + " need " + (j - i));
            }
            parts.add(part);
            i = j;
        }
        return parts.size() == 1 ? parts.get(0) : Tensor.concat(parts, -1);
    }

    /** The features as the learned-loss file stores them: {@code name:source,...}. */
    public String encode() {
        StringBuilder s = new StringBuilder();
        for (Feature f : features) {
            s.append(s.length() == 0 ? "" : ",").append(f.name()).append(':').append(f.source().name().toLowerCase(Locale.ROOT));
        }
        return s.toString();
    }

    /** The inverse of {@link #encode} with {@link #reduction}'s value. */
    public static LossInput decode(String features, String reduction) {
        boolean perClass = switch (reduction) {
            case "mean-over-samples" -> false;
            case "sum-over-classes-mean-over-samples" -> true;
            default -> throw new IllegalArgumentException("unknown reduction '" + reduction + "'");
        };
        List<Feature> list = new ArrayList<>();
        for (String f : features.split(",", -1)) {
            String[] nameAndSource = f.split(":", -1);
            if (nameAndSource.length != 2) {
                throw new IllegalArgumentException("feature '" + f + "' is not name:source");
            }
            list.add(new Feature(nameAndSource[0], Source.valueOf(nameAndSource[1].toUpperCase(Locale.ROOT))));
        }
        return new LossInput(list, perClass);
    }

    /**
     * The input of a file written before features were named, from its metadata {@code input}
     * and its network's input size (a binary classifier's (yhat, y) had two columns each).
     */
    public static LossInput legacy(String input, int width) {
        LossInput in = LEGACY.get(input);
        if (in == null) {
            throw new IllegalArgumentException("unknown learned-loss input '" + input + "', expected one of "
                    + LEGACY.keySet());
        }
        if (in.equals(PREDICTION_TARGET) && width != 2 && width % 2 == 0) {
            return predictionTarget("log_probability", "target", width / 2);
        }
        return in;
    }

    @Override
    public String toString() {
        return "(" + String.join(", ", names()) + (perClass ? ") per class" : ")");
    }
}
