package io.ml3spark.driver.train;

import io.ml3spark.driver.config.MetaTrainSettings;

/**
 * How many iterations the next barrier job runs: {@code iterations-per-job} as configured, or
 * with {@code auto} about {@link #TARGET_SECONDS} of them at the pace of the last job. Starting
 * and ending a job (Spark's scheduling, the result's shuffle, the checkpoints' writes) costs tens
 * to a hundred milliseconds (docs/performance.md), which a job of seconds amortises, while an
 * executor lost mid-job costs at most those seconds. The
 * first job is short (the JIT is still compiling); each next one at most {@link #GROWTH} times
 * the last. Any job lengths give the same phis: they only cut the same iterations into jobs.
 */
final class JobLength {
    static final double TARGET_SECONDS = 2.0;
    static final int FIRST = 8;
    static final int GROWTH = 8;
    static final int MAX = 1_000_000;

    private final int configured;
    private int next;

    JobLength(int iterationsPerJob) {
        this.configured = iterationsPerJob;
        this.next = iterationsPerJob == MetaTrainSettings.AUTO_ITERATIONS_PER_JOB ? FIRST : iterationsPerJob;
    }

    int next() {
        return next;
    }

    /** A job ran {@code iterations} iterations in {@code seconds}. */
    void observe(int iterations, double seconds) {
        if (configured != MetaTrainSettings.AUTO_ITERATIONS_PER_JOB || iterations < 1) {
            return;
        }
        double perIteration = Math.max(seconds, 1e-9) / iterations;
        long atPace = Math.round(TARGET_SECONDS / perIteration);
        next = (int) Math.max(1, Math.min(Math.min(atPace, (long) GROWTH * Math.max(iterations, next)), MAX));
    }
}
