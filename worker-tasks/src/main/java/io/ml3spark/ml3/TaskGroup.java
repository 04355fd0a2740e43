package io.ml3spark.ml3;

/**
 * The tasks of one group of one outer iteration, as an experiment samples them for the core:
 * their {@link InnerProblem}, and one noise seed per task for an estimator that samples (the
 * evolution strategy evaluates one antithetic pair per seed); an estimator that does not sample
 * ignores the seeds.
 */
public record TaskGroup(InnerProblem problem, long[] noiseSeeds) {
    private static final long[] NO_NOISE = new long[0];

    /** A group for estimators that sample nothing. */
    public static TaskGroup of(InnerProblem problem) {
        return new TaskGroup(problem, NO_NOISE);
    }
}
