package io.ml3spark.config;

import java.util.List;

/**
 * Read access to one section of an experiment's configuration. Implementations report a
 * missing or ill-typed value with its full path and what was expected, and keep track of
 * what was read so that keys nobody read can be rejected as unknown.
 */
public interface Settings {
    int getInt(String path);

    long getLong(String path);

    double getDouble(String path);

    boolean getBoolean(String path);

    String getString(String path);

    List<Integer> getIntList(String path);

    List<Double> getDoubleList(String path);

    List<String> getStringList(String path);

    boolean hasPath(String path);

    /** The subsection at {@code path}. */
    Settings section(String path);

    /** An error about the value at {@code path}, naming its full path and what was expected. */
    IllegalArgumentException invalid(String path, String expected);

    /**
     * The largest count or size a config may ask for (tasks, samples, steps, iterations, layer
     * widths): 2^24. Larger values are typos or would not fit in memory as one array.
     */
    int MAX_SIZE = 1 << 24;

    /** An int in [{@code min}, {@link #MAX_SIZE}]. */
    default int getInt(String path, int min) {
        int v = getInt(path);
        if (v < min || v > MAX_SIZE) {
            throw invalid(path, "an integer in [" + min + ", " + MAX_SIZE + "], got " + v);
        }
        return v;
    }

    /** A string that must be one of {@code choices}; the error lists them ("a, b or c"). */
    default String getChoice(String path, String... choices) {
        String v = getString(path);
        if (!List.of(choices).contains(v)) {
            String listed = choices.length == 1 ? choices[0]
                    : String.join(", ", List.of(choices).subList(0, choices.length - 1)) + " or " + choices[choices.length - 1];
            throw invalid(path, listed + ", got '" + v + "'");
        }
        return v;
    }

    /**
     * The constant of {@code type} that the value names in lower case with '-' for '_' (e.g.
     * {@code every-step} for {@code EVERY_STEP}); the error lists them as {@link #getChoice} does.
     */
    default <E extends Enum<E>> E getEnum(String path, Class<E> type) {
        E[] values = type.getEnumConstants();
        String[] names = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            names[i] = values[i].name().replace('_', '-').toLowerCase(java.util.Locale.ROOT);
        }
        return values[List.of(names).indexOf(getChoice(path, names))];
    }

    /** A double that must be finite and strictly positive. */
    default double getPositiveDouble(String path) {
        double v = getDouble(path);
        if (!(v > 0) || Double.isInfinite(v)) {
            throw invalid(path, "a positive number, got " + v);
        }
        return v;
    }

    /** A double that must be finite and {@code >= 0}. */
    default double getNonNegativeDouble(String path) {
        double v = getDouble(path);
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw invalid(path, "a non-negative number, got " + v);
        }
        return v;
    }

    /** A double that must be finite. */
    default double getFiniteDouble(String path) {
        double v = getDouble(path);
        if (!Double.isFinite(v)) {
            throw invalid(path, "a finite number, got " + v);
        }
        return v;
    }
}
