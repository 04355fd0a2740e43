package io.ml3spark.driver.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import io.ml3spark.config.Settings;
import io.ml3spark.driver.data.HadoopDataOpener;
import io.ml3spark.experiments.Experiment;
import io.ml3spark.experiments.Experiments;
import io.ml3spark.tensor.Precision;

import com.typesafe.config.ConfigValue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A run's fully resolved configuration: the config file, then {@code --set} overrides on
 * top, then the defaults of {@code defaults.conf} underneath. Every key is validated when
 * the config is loaded: a missing, ill-typed or unknown key fails with its path.
 */
public final class RunConfig {
    private final Config resolved;
    private final Experiment experiment;
    private final String backend;
    private final long seed;
    private final MetaTrainSettings metaTrain;

    private RunConfig(Config resolved) {
        this.resolved = resolved;
        TrackedSettings s = new TrackedSettings(resolved);
        String name = s.getString("experiment");
        if (!Experiments.names().contains(name)) {
            throw s.invalid("experiment", "one of " + Experiments.names() + ", got '" + name + "'");
        }
        this.seed = s.getLong("seed");
        int format = s.getInt("config-format");
        if (format != CONFIG_FORMAT) {
            throw s.invalid("config-format", CONFIG_FORMAT + " (configs of earlier versions are upgraded where a run"
                    + " recorded them; a config file needs no such key), got " + format);
        }
        String backendName = s.getString("backend");
        if (!BackendChoice.names().contains(backendName)) {
            throw s.invalid("backend", "one of " + BackendChoice.names() + ", got '" + backendName + "'");
        }
        String precisionName = s.getString("precision");
        if (!Precision.configNames().contains(precisionName)) {
            throw s.invalid("precision", "one of " + Precision.configNames() + ", got '" + precisionName + "'");
        }
        Precision precision = Precision.byName(precisionName);
        try {
            BackendChoice.requirePrecision(backendName, precision);
        } catch (IllegalArgumentException e) {
            throw s.invalid("precision", "a precision of backend '" + backendName + "' (" + e.getMessage()
                    + "), got '" + precisionName + "'");
        }
        this.backend = BackendChoice.spec(backendName, precision);
        this.metaTrain = MetaTrainSettings.from(s.section("meta-train"));
        Settings section = s.section(name);
        try {
            this.experiment = Experiments.fromSettings(name, section, HadoopDataOpener.fromSparkConf());
        } catch (ConfigError e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new ConfigError("invalid config section '" + name + "': " + e.getMessage());
        }
        s.rejectUnread();
    }

    /** Loads {@code file} with {@code overrides} ("path=value", HOCON values) applied. */
    public static RunConfig load(File file, List<String> overrides) {
        if (!file.isFile()) {
            throw new ConfigError("config file not found: " + file);
        }
        Config parsed;
        try {
            parsed = ConfigFactory.parseFile(file, com.typesafe.config.ConfigParseOptions.defaults()
                    .setAllowMissing(false).setIncluder(new RequiredIncluder()));
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse config file " + file + ": " + e.getMessage());
        }
        return fromConfig(withOverrides(parsed, overrides));
    }

    /**
     * The version of what config keys mean. 2: the reacher's arm is the {@code arm} section, the
     * reference's arm where absent. Configs recorded without the key are version 1, whose reacher
     * was the arm of {@code arm.model = legacy-spec-v1}.
     */
    public static final int CONFIG_FORMAT = 2;

    /**
     * A config a run recorded, with the keys added to ml3-spark since set to what that version
     * did: {@code precision} float64, {@code meta-train.tasks-per-block} the whole Spark
     * task's group (one block), and before config format 2 a reacher's {@code arm.model}
     * {@code legacy-spec-v1}. The rest is returned as recorded.
     */
    public static String upgraded(String recorded, String origin) {
        Config c;
        try {
            c = ConfigFactory.parseString(recorded, com.typesafe.config.ConfigParseOptions.defaults()
                    .setOriginDescription(origin));
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse config " + origin + ": " + e.getMessage());
        }
        boolean old = false;
        if (!c.hasPath("precision")) {
            c = c.withValue("precision", ConfigValueFactory.fromAnyRef(Precision.FLOAT64.configName()));
            old = true;
        }
        if (!c.hasPath("meta-train.tasks-per-block") && c.hasPath("meta-train.tasks-per-spark-task")) {
            c = c.withValue("meta-train.tasks-per-block", c.getValue("meta-train.tasks-per-spark-task"));
            old = true;
        }
        if (!c.hasPath("config-format")) {
            for (String section : c.root().keySet()) {
                if (c.hasPath(section + ".environment") && c.getValue(section + ".environment").unwrapped().equals("reacher")
                        && !c.hasPath(section + ".arm")) {
                    c = c.withValue(section + ".arm.model", ConfigValueFactory.fromAnyRef("legacy-spec-v1"));
                }
            }
            c = c.withValue("config-format", ConfigValueFactory.fromAnyRef(CONFIG_FORMAT));
            old = true;
        }
        return old ? c.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)) : recorded;
    }

    /** Whether a config a run recorded, upgraded to today's keys, holds the same values as {@code cfg} (comments aside). */
    public static boolean sameValues(String recorded, String origin, RunConfig cfg) {
        return ConfigFactory.parseString(upgraded(recorded, origin)).root().equals(cfg.resolved.root());
    }

    /** Re-reads a resolved config as written into a run directory. */
    public static RunConfig parse(String text, String origin, List<String> overrides) {
        try {
            return fromConfig(withOverrides(ConfigFactory.parseString(text, com.typesafe.config.ConfigParseOptions.defaults()
                    .setOriginDescription(origin)), overrides));
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse config " + origin + ": " + e.getMessage());
        }
    }

    private static Config withOverrides(Config base, List<String> overrides) {
        Config result = base;
        for (String o : overrides) {
            int eq = o.indexOf('=');
            if (eq <= 0) {
                throw new ConfigError("--set expects path=value, got '" + o + "'");
            }
            try {
                result = ConfigFactory.parseString(o.substring(0, eq).trim() + " = " + o.substring(eq + 1),
                        com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription("--set " + o))
                        .withFallback(result);
            } catch (ConfigException e) {
                throw new ConfigError("cannot parse --set '" + o + "': " + e.getMessage());
            }
        }
        return result;
    }

    private static RunConfig fromConfig(Config config) {
        Config defaults = ConfigFactory.parseResources(RunConfig.class, "/defaults.conf");
        try {
            return new RunConfig(config.withFallback(defaults).resolve());
        } catch (ConfigException.UnresolvedSubstitution e) {
            throw new ConfigError(e.getMessage());
        }
    }

    public Experiment experiment() {
        return experiment;
    }

    /** The experiment's own section ({@code <experiment> { ... }}), to read again (e.g. its environment). */
    public Settings experimentSection() {
        TrackedSettings s = new TrackedSettings(resolved);
        return s.section(s.getString("experiment"));
    }

    /** The executors' backend and precision as a {@link BackendChoice} spec. */
    public String backend() {
        return backend;
    }

    public long seed() {
        return seed;
    }

    public MetaTrainSettings metaTrain() {
        return metaTrain;
    }

    /**
     * Whether a resume may change {@code key}: the length of the run, how often it logs and
     * checkpoints, how iterations map to Spark jobs (bit-identical either way), and how it is
     * meta-tested. Every other key shapes the run's trajectory.
     */
    public static boolean resumable(String key) {
        return RESUMABLE_META_TRAIN.contains(key) || key.matches("[^.]+\\.meta-test(\\..+)?");
    }

    private static final Set<String> RESUMABLE_META_TRAIN = Set.of("meta-train.iterations", "meta-train.log-every",
            "meta-train.checkpoint-every", "meta-train.keep-checkpoints", "meta-train.execution",
            "meta-train.iterations-per-job");

    /** SHA-256 (hex) of the resolved config without the {@link #resumable} keys: equal for every config of one run. */
    public String trajectorySha256() {
        Config trajectory = resolved;
        for (Map.Entry<String, ConfigValue> e : resolved.entrySet()) {
            if (resumable(e.getKey())) {
                trajectory = trajectory.withoutPath(e.getKey());
            }
        }
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(trajectory.root()
                    .render(ConfigRenderOptions.concise()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The keys whose values differ between two rendered configs (present in one only, or
     * different), sorted; {@code originA} and {@code originB} name them in a parse error.
     */
    public static List<String> differingKeys(String a, String originA, String b, String originB) {
        Map<String, String> x = flatten(a, originA);
        Map<String, String> y = flatten(b, originB);
        Set<String> keys = new TreeSet<>(x.keySet());
        keys.addAll(y.keySet());
        List<String> differing = new ArrayList<>();
        for (String k : keys) {
            if (!Objects.equals(x.get(k), y.get(k))) {
                differing.add(k);
            }
        }
        return differing;
    }

    private static Map<String, String> flatten(String text, String origin) {
        Map<String, String> flat = new TreeMap<>();
        try {
            for (Map.Entry<String, ConfigValue> e : ConfigFactory.parseString(text,
                    com.typesafe.config.ConfigParseOptions.defaults().setOriginDescription(origin)).resolve().entrySet()) {
                flat.put(e.getKey(), e.getValue().render(ConfigRenderOptions.concise()));
            }
        } catch (ConfigException e) {
            throw new ConfigError("cannot parse config " + origin + ": " + e.getMessage());
        }
        return flat;
    }

    /** The resolved config as HOCON text, as saved in a run directory. */
    public String render() {
        return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }
}
