package io.ml3spark.experiments.modelfree;

import io.ml3spark.control.GaussianPolicy;
import io.ml3spark.experiments.goalreaching.Targets;
import io.ml3spark.ml3.Seeds;
import io.ml3spark.ml3.TaskGroup;
import io.ml3spark.ml3.TaskSampler;
import io.ml3spark.tensor.Backend;

/**
 * A task is a goal; its Gaussian policy starts from PPO's initialisation, fresh per (run seed,
 * iteration, task), and its episodes are seeded per (run seed, iteration, task, step, episode).
 */
record ModelFreeTasks(ModelFreeControl control, PolicyArchitecture architecture, Targets train, int innerEpisodes,
                      int freshEpisodes)
        implements TaskSampler {
    private static final long POLICY_INIT = 4;
    private static final long INNER_EPISODES = 5;
    private static final long FRESH_EPISODES = 6;

    @Override
    public int tasksPerIteration() {
        return train.perIteration();
    }

    @Override
    public TaskGroup tasks(Backend backend, long runSeed, long iteration, int[] taskIndices) {
        TrainingGoals g = trainingGoals(runSeed, iteration, taskIndices);
        GaussianPolicy pi = control.policy(architecture).forGoals(control.goalStates(g.goals()));
        return TaskGroup.of(control.problem(pi, pi.orthogonal(backend, g.initSeeds()), g.goals(),
                episodeSource(pi, g.goals(), runSeed, iteration, taskIndices)));
    }

    /** The goals of an iteration's tasks and the seeds of their policies' initialisations. */
    record TrainingGoals(double[][] goals, long[] initSeeds) {
    }

    TrainingGoals trainingGoals(long runSeed, long iteration, int[] taskIndices) {
        int b = taskIndices.length;
        double[][] goals = new double[b][];
        long[] initSeeds = new long[b];
        for (int t = 0; t < b; t++) {
            goals[t] = train.goalOf(control.env(), train.trainTarget(control.env(), runSeed, iteration, taskIndices[t]));
            initSeeds[t] = Seeds.derive(runSeed, POLICY_INIT, iteration, taskIndices[t]);
        }
        return new TrainingGoals(goals, initSeeds);
    }

    /** Episodes on the real simulator, seeded per (run seed, iteration, task, step, episode). */
    EpisodeSource episodeSource(GaussianPolicy pi, double[][] goals, long runSeed, long iteration, int[] taskIndices) {
        return (step, fresh, theta) -> control.episodes(pi, theta, goals,
                episodeSeeds(runSeed, fresh ? FRESH_EPISODES : INNER_EPISODES, iteration, taskIndices, step,
                        fresh ? freshEpisodes : innerEpisodes));
    }

    private static long[][] episodeSeeds(long runSeed, long stream, long iteration, int[] tasks, int step, int episodes) {
        long[][] seeds = new long[tasks.length][episodes];
        for (int t = 0; t < tasks.length; t++) {
            for (int e = 0; e < episodes; e++) {
                seeds[t][e] = Seeds.derive(runSeed, stream, iteration, tasks[t], step, e);
            }
        }
        return seeds;
    }
}
