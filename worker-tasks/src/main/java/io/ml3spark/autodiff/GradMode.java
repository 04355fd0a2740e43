package io.ml3spark.autodiff;

/**
 * Whether ops record a graph on this thread. Recording is on by default; {@link Autograd}
 * turns it off while it runs backward rules without {@code createGraph}, so a plain
 * gradient costs no graph. Spark runs tasks on pooled threads, hence a thread-local.
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {
    }

    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Sets recording on or off until the returned scope is closed, then restores it. */
    public static Scope set(boolean enabled) {
        boolean[] flag = ENABLED.get();
        boolean previous = flag[0];
        flag[0] = enabled;
        return () -> flag[0] = previous;
    }

    /** Shorthand for {@code set(false)}: {@code try (var s = GradMode.disabled()) { ... }}. */
    public static Scope disabled() {
        return set(false);
    }

    /** A scope that restores the previous mode; closing never throws. */
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }
}
