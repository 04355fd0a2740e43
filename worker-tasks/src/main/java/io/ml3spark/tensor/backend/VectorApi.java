package io.ml3spark.tensor.backend;

import org.slf4j.LoggerFactory;

/**
 * Whether kernels written with the incubating Vector API ({@code jdk.incubator.vector},
 * JDK 17) are used. They are when that module is in the boot layer, which takes the JVM
 * flag {@code --add-modules jdk.incubator.vector}, unless the system property
 * {@value #DISABLE_PROPERTY} is true. Such classes are only ever loaded through
 * {@link #load}, so without the module none of them is touched.
 */
final class VectorApi {
    static final String DISABLE_PROPERTY = "ml3spark.vectorApi.disable";
    static final boolean ENABLED = !Boolean.getBoolean(DISABLE_PROPERTY)
            && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    private VectorApi() {
    }

    /**
     * An instance of the named class of this package if the Vector API is enabled and the class
     * exists, else {@code fallback}. A kernel template names its Vector API twin per precision
     * ({@code VectorGemmKernel}, {@code VectorFloatGemmKernel}); a precision without one gets the fallback.
     */
    static <T> T load(Class<T> type, String simpleName, T fallback) {
        if (!ENABLED) {
            return fallback;
        }
        try {
            Class.forName(VectorApi.class.getPackageName() + "." + simpleName, false, VectorApi.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            return fallback;
        }
        try {
            return type.cast(Class.forName(VectorApi.class.getPackageName() + "." + simpleName)
                    .getDeclaredConstructor().newInstance());
        } catch (ReflectiveOperationException | LinkageError e) {
            LoggerFactory.getLogger(VectorApi.class).warn("{} unavailable, using plain Java", simpleName, e);
            return fallback;
        }
    }
}
