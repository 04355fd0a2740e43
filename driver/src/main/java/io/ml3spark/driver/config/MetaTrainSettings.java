package io.ml3spark.driver.config;

import io.ml3spark.config.Settings;
import io.ml3spark.tensor.Backend;

import java.io.Serializable;

/**
 * The outer loop's settings: iterations, Adam, how tasks map to Spark tasks, progress output,
 * checkpoints, where phi starts ({@code initFrom}: a learned-loss file, or empty for the
 * experiment's own initialisation), whether the run keeps its best phi instead of its last, and
 * how iterations map to Spark jobs.
 */
public record MetaTrainSettings(int iterations, double learningRate, double beta1, double beta2, double epsilon,
                                int tasksPerSparkTask, int tasksPerBlock, int treeDepth, int logEvery, int checkpointEvery,
                                int keepCheckpoints, String initFrom, boolean keepBest, Execution execution,
                                int iterationsPerJob) implements Serializable {

    /** How outer iterations map to Spark jobs (see defaults.conf). */
    public enum Execution { AUTO, PER_ITERATION, BARRIER }

    /** The same settings, iterations mapped to Spark jobs as {@code execution} says. */
    public MetaTrainSettings withExecution(Execution execution) {
        return new MetaTrainSettings(iterations, learningRate, beta1, beta2, epsilon, tasksPerSparkTask, tasksPerBlock, treeDepth,
                logEvery, checkpointEvery, keepCheckpoints, initFrom, keepBest, execution, iterationsPerJob);
    }

    /** {@code iterations-per-job}'s value for "auto": each barrier job about {@code JobLength}'s target in seconds. */
    public static final int AUTO_ITERATIONS_PER_JOB = 0;

    /** {@code tasks-per-block}'s value for "auto": the backend's own block size. */
    public static final int AUTO_BLOCK = 0;

    /** Tasks computed at a time within a Spark task on {@code backend}. */
    public int tasksPerBlock(Backend backend) {
        return tasksPerBlock(tasksPerBlock, backend);
    }

    /** A configured {@code tasks-per-block} ({@link #AUTO_BLOCK} for "auto") on {@code backend}. */
    public static int tasksPerBlock(int configured, Backend backend) {
        return configured == AUTO_BLOCK ? backend.tasksPerBlock() : configured;
    }

    /** An integer setting of at least 1, or {@code auto} (as {@code auto}). */
    private static int countOrAuto(Settings s, String key, String what, int auto) {
        if (s.getString(key).trim().equalsIgnoreCase("auto")) {
            return auto;
        }
        try {
            return s.getInt(key, 1);
        } catch (IllegalArgumentException e) {
            throw s.invalid(key, "\"auto\" or a number of " + what + " of at least 1, got '" + s.getString(key) + "'");
        }
    }

    static MetaTrainSettings from(Settings s) {
        Settings adam = s.section("adam");
        double beta1 = adam.getDouble("beta1");
        double beta2 = adam.getDouble("beta2");
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw adam.invalid("beta1", "a number in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw adam.invalid("beta2", "a number in [0, 1), got " + beta2);
        }
        return new MetaTrainSettings(s.getInt("iterations", 1), adam.getPositiveDouble("learning-rate"), beta1, beta2,
                adam.getPositiveDouble("epsilon"), s.getInt("tasks-per-spark-task", 1),
                countOrAuto(s, "tasks-per-block", "tasks", AUTO_BLOCK),
                s.getInt("tree-depth", 1),
                s.getInt("log-every", 1), s.getInt("checkpoint-every", 1), s.getInt("keep-checkpoints", 1),
                s.getString("init-from"), s.getChoice("keep", "last", "best").equals("best"),
                s.getEnum("execution", Execution.class),
                countOrAuto(s, "iterations-per-job", "iterations", AUTO_ITERATIONS_PER_JOB));
    }
}
