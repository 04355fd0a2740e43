package io.ml3spark.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sweep's grid: a HOCON file {@code grid { "path.in.config" = [v1, v2, ...], ... }}
 * whose cartesian product gives one list of {@code --set} overrides per run. Keys are
 * taken in sorted order, the last key varying fastest, so run numbers are stable.
 */
public record SweepGrid(List<String> keys, List<List<String>> points) {

    public static SweepGrid load(File file) {
        if (!file.isFile()) {
            throw new ConfigError("grid file not found: " + file);
        }
        Config grid;
        try {
            Config parsed = ConfigFactory.parseFile(file);
            if (!parsed.hasPath("grid")) {
                throw new ConfigError("grid file " + file + " has no 'grid { ... }' section");
            }
            grid = parsed.getConfig("grid");
        } catch (ConfigException e) {
            throw new ConfigError("cannot read grid file " + file + ": " + e.getMessage());
        }
        Map<String, List<String>> axes = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : grid.entrySet()) {
            String key = e.getKey();
            if (e.getValue().valueType() != ConfigValueType.LIST || ((ConfigList) e.getValue()).isEmpty()) {
                throw new ConfigError("invalid grid value at 'grid." + key + "' (" + e.getValue().origin().description()
                        + "): expected a non-empty list of values, got " + e.getValue().render());
            }
            List<String> values = new ArrayList<>();
            for (ConfigValue v : (ConfigList) e.getValue()) {
                values.add(v.render(com.typesafe.config.ConfigRenderOptions.concise()));
            }
            axes.put(unquote(key), values);
        }
        if (axes.isEmpty()) {
            throw new ConfigError("grid file " + file + " has an empty grid");
        }
        List<String> keys = new ArrayList<>(axes.keySet());
        List<List<String>> points = new ArrayList<>();
        points.add(new ArrayList<>());
        for (String key : keys) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> p : points) {
                for (String v : axes.get(key)) {
                    List<String> q = new ArrayList<>(p);
                    q.add(key + "=" + v);
                    next.add(q);
                }
            }
            points = next;
        }
        return new SweepGrid(keys, points);
    }

    private static String unquote(String path) {
        return path.replace("\"", "");
    }
}
