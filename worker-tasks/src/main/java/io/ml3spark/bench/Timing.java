package io.ml3spark.bench;

/** How the benchmarks time a call: warmed up first, then repeated for a while (at least 3 calls). */
final class Timing {
    private Timing() {
    }

    /** Seconds per call of {@code work}: run for {@code warmUpSeconds}, then measured over {@code seconds}. */
    static double secondsPerCall(double warmUpSeconds, double seconds, Runnable work) {
        long warmUntil = System.nanoTime() + (long) (warmUpSeconds * 1e9);
        while (System.nanoTime() < warmUntil) {
            work.run();
        }
        int calls = 0;
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        long now;
        do {
            work.run();
            calls++;
            now = System.nanoTime();
        } while (now < end || calls < 3);
        return (now - start) / 1e9 / calls;
    }
}
