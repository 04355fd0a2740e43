package io.ml3spark.tensor;

import io.ml3spark.config.NamedServices;

import java.util.Comparator;
import java.util.List;

/** The {@link BackendProvider}s on the class path, by the names configs and the command line use. */
public final class Backends {
    private Backends() {
    }

    private static NamedServices<BackendProvider> services() {
        return NamedServices.load(BackendProvider.class, p -> List.of(p.name()), "backend");
    }

    public static List<String> names() {
        return all().stream().map(BackendProvider::name).toList();
    }

    /** Every backend, by name. */
    public static List<BackendProvider> all() {
        return services().all().stream().sorted(Comparator.comparing(BackendProvider::name)).toList();
    }

    public static BackendProvider named(String name) {
        return services().named(name);
    }

    /** The backend that {@code backend = auto} means on {@code device}. */
    public static BackendProvider defaultOn(Device device) {
        List<BackendProvider> all = all();
        return all.stream().filter(p -> p.defaultOn().contains(device)).findFirst().orElseThrow(
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
            List<String> able = all().stream().filter(p -> p.precisions().contains(precision))
                    .map(BackendProvider::name).toList();
            throw new IllegalArgumentException("the " + provider.name() + " backend computes in "
                    + String.join(" and ", provider.precisions().stream().map(Precision::configName).sorted().toList())
                    + " only; precision " + precision.configName() + " needs "
                    + (able.size() == 1 ? "backend " + able.get(0) : "one of the backends " + able));
        }
    }
}
