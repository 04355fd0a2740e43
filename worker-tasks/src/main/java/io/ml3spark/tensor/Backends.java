package io.ml3spark.tensor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.ServiceLoader;
import java.util.Set;

/** The {@link BackendProvider}s on the class path, by the names configs and the command line use. */
public final class Backends {
    private static final List<BackendProvider> PROVIDERS = load();

    private Backends() {
    }

    private static List<BackendProvider> load() {
        List<BackendProvider> found = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (!names.add(p.name())) {
                throw new IllegalStateException("two tensor backends are called '" + p.name() + "' on the class path");
            }
            found.add(p);
        }
        found.sort(Comparator.comparing(BackendProvider::name));
        return List.copyOf(found);
    }

    public static List<String> names() {
        return PROVIDERS.stream().map(BackendProvider::name).toList();
    }

    public static List<BackendProvider> all() {
        return PROVIDERS;
    }

    public static BackendProvider named(String name) {
        String wanted = name.trim().toLowerCase(Locale.ROOT);
        return PROVIDERS.stream().filter(p -> p.name().equals(wanted)).findFirst().orElseThrow(
                () -> new IllegalArgumentException("unknown backend '" + name + "', expected one of " + names()));
    }

    /** The backend that {@code backend = auto} means on {@code device}. */
    public static BackendProvider defaultOn(Device device) {
        return PROVIDERS.stream().filter(p -> p.defaultOn().contains(device)).findFirst().orElseThrow(
                () -> new IllegalStateException("no tensor backend on the class path is the default on " + device));
    }

    /** The named backend in float64. */
    public static Backend byName(String name) {
        return byName(name, Precision.FLOAT64);
    }

    public static Backend byName(String name, Precision precision) {
        return open(named(name), precision);
    }

    /** {@code provider}'s backend in {@code precision}, or an error naming the backends that have it. */
    public static Backend open(BackendProvider provider, Precision precision) {
        requirePrecision(provider, precision);
        return provider.backend(precision);
    }

    public static void requirePrecision(BackendProvider provider, Precision precision) {
        if (!provider.precisions().contains(precision)) {
            List<String> able = PROVIDERS.stream().filter(p -> p.precisions().contains(precision))
                    .map(BackendProvider::name).toList();
            throw new IllegalArgumentException("the " + provider.name() + " backend computes in "
                    + String.join(" and ", provider.precisions().stream().map(Precision::configName).sorted().toList())
                    + " only; precision " + precision.configName() + " needs "
                    + (able.size() == 1 ? "backend " + able.get(0) : "one of the backends " + able));
        }
    }
}
