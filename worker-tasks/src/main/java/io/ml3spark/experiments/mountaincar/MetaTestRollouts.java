package io.ml3spark.experiments.mountaincar;

import java.util.List;

/** The meta-test policies after 0, 1, .. steps with the learned loss and with the baseline. */
public record MetaTestRollouts(List<TestedPolicy> learned, List<TestedPolicy> baseline) {
}
