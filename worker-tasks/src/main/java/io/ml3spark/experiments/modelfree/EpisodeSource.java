package io.ml3spark.experiments.modelfree;

import io.ml3spark.autodiff.Tensor;

import java.util.List;

/** Where a task group's episodes come from: step k's inner batch, or the fresh batch after step k. */
@FunctionalInterface
interface EpisodeSource {
    PolicyEpisodes episodes(int step, boolean fresh, List<Tensor> theta);
}
