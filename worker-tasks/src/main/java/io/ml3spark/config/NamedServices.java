package io.ml3spark.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * The implementations of a service interface on the class path ({@link ServiceLoader}: a line in
 * {@code META-INF/services/<interface>}), by the names configs and the command line use. The
 * thread's context class loader is searched, so implementations in a job's own jars are found.
 * A scan reads every jar's services folder (milliseconds on Spark's class path) and every Spark
 * task looks its backend up, so each loader's catalog is kept: a process has few loaders (the
 * application's, an executor's), and its catalogs live as long as it does.
 */
public final class NamedServices<T> {
    private static final Map<ClassLoader, Map<Class<?>, NamedServices<?>>> LOADED = new HashMap<>();

    private final String noun;
    private final Map<String, T> byName;

    private NamedServices(String noun, Map<String, T> byName) {
        this.noun = noun;
        this.byName = byName;
    }

    /**
     * Every implementation of {@code service} by each of its {@code names}, in the order found;
     * {@code noun} names the kind in errors ("tensor backend"). Two classes claiming one name is an
     * error naming both.
     */
    @SuppressWarnings("unchecked")
    public static <T> NamedServices<T> load(Class<T> service, Function<T, List<String>> names, String noun) {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        ClassLoader loader = context != null ? context : service.getClassLoader();
        synchronized (LOADED) {
            Map<Class<?>, NamedServices<?>> byService = LOADED.computeIfAbsent(loader, l -> new LinkedHashMap<>());
            NamedServices<?> known = byService.get(service);
            if (known == null) {
                known = scan(service, loader, names, noun);
                byService.put(service, known);
            }
            return (NamedServices<T>) known;
        }
    }

    private static <T> NamedServices<T> scan(Class<T> service, ClassLoader loader, Function<T, List<String>> names,
                                             String noun) {
        Map<String, T> found = new LinkedHashMap<>();
        for (T provider : ServiceLoader.load(service, loader)) {
            for (String name : names.apply(provider)) {
                T other = found.putIfAbsent(name, provider);
                if (other != null && other.getClass() != provider.getClass()) {
                    throw new IllegalStateException(noun + " '" + name + "' is declared by both "
                            + other.getClass().getName() + " and " + provider.getClass().getName());
                }
            }
        }
        return new NamedServices<>(noun, found);
    }

    public List<String> names() {
        return new ArrayList<>(byName.keySet());
    }

    /** Each implementation once, in the order found. */
    public List<T> all() {
        return byName.values().stream().distinct().toList();
    }

    /** The implementation called {@code name} (trimmed, any case), or an error listing the names. */
    public T named(String name) {
        T found = byName.get(name.trim().toLowerCase(Locale.ROOT));
        if (found == null) {
            found = byName.get(name);
        }
        if (found == null) {
            throw new IllegalArgumentException("unknown " + noun + " '" + name + "', expected one of " + names());
        }
        return found;
    }
}
