package io.ml3spark.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.ml3spark.config.Settings;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * {@link Settings} over a Typesafe {@link Config}, remembering every path read so that
 * {@link #rejectUnread()} can report keys nobody uses (typos, keys of other experiments)
 * instead of silently ignoring them.
 */
public final class TrackedSettings implements Settings {
    private final Config root;
    private final String prefix;
    private final Set<String> read;

    public TrackedSettings(Config root) {
        this(root, "", new TreeSet<>());
    }

    private TrackedSettings(Config root, String prefix, Set<String> read) {
        this.root = root;
        this.prefix = prefix;
        this.read = read;
    }

    private String full(String path) {
        return prefix.isEmpty() ? path : prefix + "." + path;
    }

    private <T> T get(String path, String expected, Function<String, T> getter) {
        String p = full(path);
        read.add(p);
        try {
            return getter.apply(p);
        } catch (ConfigException.Missing e) {
            throw new ConfigError("missing config key '" + p + "' (expected " + expected + ")");
        } catch (ConfigException.WrongType | ConfigException.BadValue e) {
            throw invalid(path, expected + ", got " + describe(p));
        }
    }

    private String describe(String fullPath) {
        try {
            ConfigValue v = root.getValue(fullPath);
            return v.valueType().name().toLowerCase() + " " + v.render();
        } catch (ConfigException e) {
            return "an unreadable value";
        }
    }

    @Override
    public int getInt(String path) {
        return (int) integer(path, get(path, "an integer", root::getValue), Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    @Override
    public long getLong(String path) {
        return integer(path, get(path, "an integer", root::getValue), Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public double getDouble(String path) {
        return finite(path, get(path, "a number", root::getDouble), "");
    }

    @Override
    public boolean getBoolean(String path) {
        return get(path, "true or false", root::getBoolean);
    }

    @Override
    public String getString(String path) {
        return get(path, "a string", root::getString);
    }

    @Override
    public List<Integer> getIntList(String path) {
        List<Integer> ints = new ArrayList<>();
        for (ConfigValue v : get(path, "a list of integers", root::getList)) {
            ints.add((int) integer(path, v, Integer.MIN_VALUE, Integer.MAX_VALUE));
        }
        return ints;
    }

    @Override
    public List<String> getStringList(String path) {
        return get(path, "a list of strings", root::getStringList);
    }

    @Override
    public List<Double> getDoubleList(String path) {
        List<Double> values = get(path, "a list of numbers", root::getDoubleList);
        for (double v : values) {
            finite(path, v, " in the list " + values);
        }
        return values;
    }

    /**
     * {@code v} as an integer in [min, max]: an integer literal, a number with no fractional
     * part (1e3), or a string holding an integer; 2.5, NaN and 1e30 are errors, never rounded.
     */
    private long integer(String path, ConfigValue v, long min, long max) {
        Object u = v.unwrapped();
        Long value = null;
        if (u instanceof Integer || u instanceof Long) {
            value = ((Number) u).longValue();
        } else if (u instanceof Double d && d == Math.rint(d) && Math.abs(d) <= 1L << 53) {
            value = d.longValue();
        } else if (u instanceof String str) {
            try {
                value = Long.parseLong(str.trim());
            } catch (NumberFormatException e) {
                value = null;
            }
        }
        if (value == null || value < min || value > max) {
            throw invalid(path, "an integer in [" + min + ", " + max + "], got " + v.valueType().name().toLowerCase()
                    + " " + v.render());
        }
        return value;
    }

    private double finite(String path, double v, String where) {
        if (!Double.isFinite(v)) {
            throw invalid(path, "a finite number, got " + v + where);
        }
        return v;
    }

    @Override
    public boolean hasPath(String path) {
        return root.hasPath(full(path));
    }

    @Override
    public Settings section(String path) {
        String p = full(path);
        if (!root.hasPath(p)) {
            throw new ConfigError("missing config section '" + p + "'");
        }
        try {
            root.getConfig(p);
        } catch (ConfigException.WrongType e) {
            throw invalid(path, "a section { ... }, got " + describe(p));
        }
        return new TrackedSettings(root, p, read);
    }

    @Override
    public ConfigError invalid(String path, String expected) {
        String p = full(path);
        String where = root.hasPath(p) ? " (" + root.getValue(p).origin().description() + ")" : "";
        return new ConfigError("invalid config value at '" + p + "'" + where + ": expected " + expected);
    }

    /** Fails on the first key present in the config that was never read. */
    public void rejectUnread() {
        Set<String> present = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : root.entrySet()) {
            present.add(e.getKey());
        }
        for (String key : present) {
            if (!read.contains(key)) {
                String parent = parentOf(key);
                Set<String> siblings = new TreeSet<>();
                for (String r : read) {
                    if (parentOf(r).equals(parent)) {
                        siblings.add(r.substring(parent.isEmpty() ? 0 : parent.length() + 1));
                    }
                }
                throw new ConfigError("unknown config key '" + key + "' (" + root.getValue(key).origin().description()
                        + "); known keys" + (parent.isEmpty() ? "" : " in '" + parent + "'") + ": " + siblings);
            }
        }
    }

    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot < 0 ? "" : path.substring(0, dot);
    }
}
